import { CODES } from "./api-failure.js";
import { authenticate } from "./authenticate.js";
import type { RouteHandler } from "./server-state.js";

/** `GET /tests/ping`: reachability check; needs no session. */
export const handlePing: RouteHandler = async () => ({ Code: CODES.SUCCESS });

/**
 * `GET /core/v4/users`: the logged-in user.
 * NOTE: `Keys` is empty because the fake API has no PGP keys. Only the key salts exist.
 */
export const handleUsers: RouteHandler = async (state, context) => {
  const { user } = authenticate(state, context, { allowTwoFactorScope: false });
  return {
    Code: CODES.SUCCESS,
    User: {
      ID: user.id,
      Name: user.username,
      DisplayName: user.displayName,
      Email: user.email,
      CreateTime: user.createTime,
      UsedSpace: 0,
      MaxSpace: 1_073_741_824,
      MaxUpload: 26_214_400,
      Currency: "EUR",
      Credit: 0,
      Role: 0,
      Private: 1,
      Subscribed: 0,
      Services: 1,
      Delinquent: 0,
      Keys: [],
    },
  };
};

/** `GET /core/v4/addresses`: the user's one address. */
export const handleAddresses: RouteHandler = async (state, context) => {
  const { user } = authenticate(state, context, { allowTwoFactorScope: false });
  return {
    Code: CODES.SUCCESS,
    Addresses: [
      {
        ID: user.addressId,
        Email: user.email,
        DisplayName: user.displayName,
        Signature: "",
        Status: 1,
        Type: 1,
        Order: 1,
        Receive: 1,
        Send: 1,
        Keys: [],
      },
    ],
    Total: 1,
  };
};

/** `GET /core/v4/keys/salts`: the salt of each user key, for deriving the key password. */
export const handleKeySalts: RouteHandler = async (state, context) => {
  const { user } = authenticate(state, context, { allowTwoFactorScope: false });
  return {
    Code: CODES.SUCCESS,
    KeySalts: [{ ID: user.keyId, KeySalt: user.keySalt }],
  };
};
