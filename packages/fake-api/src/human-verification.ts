import { FakeApiInputError } from "./fake-api-input-error.js";
import { type RandomSource, randomToken } from "./random-values.js";

/** Methods offered in `HumanVerificationMethods`; the retry's token type must be one of them. */
export const VERIFICATION_METHODS: readonly string[] = ["captcha", "email"];

interface Challenge {
  userId: string;
  solved: boolean;
}

/** Verification tokens handed out with Code 9001, and whether a test or a person solved them. */
export class HumanVerificationStore {
  readonly #random: RandomSource;
  readonly #challenges = new Map<string, Challenge>();

  constructor(random: RandomSource) {
    this.#random = random;
  }

  issue(userId: string): string {
    const token = randomToken(this.#random);
    this.#challenges.set(token, { userId, solved: false });
    return token;
  }

  /** Marks a token as solved; throws `FakeApiInputError` for a token this server did not issue. */
  solve(token: string): void {
    const challenge = this.#challenges.get(token);
    if (challenge === undefined) {
      throw new FakeApiInputError(
        "human verification token",
        "not issued by this server; use the HumanVerificationToken of a Code 9001 answer.",
      );
    }
    challenge.solved = true;
  }

  /**
   * Accepts a solved token of this user with an offered method as its type, once. Returns false
   * for an unknown, unsolved or foreign token and for an unknown type.
   */
  consume(token: string, type: string | undefined, userId: string): boolean {
    const challenge = this.#challenges.get(token);
    if (
      challenge === undefined ||
      !challenge.solved ||
      challenge.userId !== userId ||
      type === undefined ||
      !VERIFICATION_METHODS.includes(type)
    ) {
      return false;
    }
    this.#challenges.delete(token);
    return true;
  }
}
