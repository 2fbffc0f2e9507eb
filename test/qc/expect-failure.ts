import { QcCollabError } from "../../src/model/errors.js";

/** Awaits a call that must fail with a QcCollabError and returns that error for assertions. */
export async function failure(promise: Promise<unknown>): Promise<QcCollabError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof QcCollabError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}
