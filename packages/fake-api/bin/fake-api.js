#!/usr/bin/env node
// Runs the built command line; a committed file, so package managers can link it before a build.
import "../dist/cli.js";
