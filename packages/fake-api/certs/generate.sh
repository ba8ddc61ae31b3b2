#!/bin/sh
# Regenerates the test CA and the localhost certificate that @proton/fake-api serves.
# The leaf's private key is committed on purpose because it protects only loopback test
# traffic. The CA key is deleted after signing, so no further certificate can be issued
# under this CA. Run from this folder with OpenSSL 3: sh generate.sh. Both certificates are valid for
# 100 years. The pin that startFakeApi reports changes whenever this script runs.
set -eu

openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
  -keyout ca-key.pem -out ca.pem -days 36500 -sha256 \
  -subj "/CN=proton-ts fake API test CA" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign"

openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
  -keyout localhost-key.pem -out localhost.csr -subj "/CN=localhost"

printf '%s\n' \
  "basicConstraints=critical,CA:FALSE" \
  "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=serverAuth" \
  "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" > localhost.ext

openssl x509 -req -in localhost.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial \
  -out localhost.pem -days 36500 -sha256 -extfile localhost.ext

rm -f localhost.csr localhost.ext ca.srl ca-key.pem
