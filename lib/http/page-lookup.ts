import { notFound } from "next/navigation";
import { isDomainError } from "../errors/domain-error";

/**
 * Runs a page's lookups. A domain "not-found" (a study that is not the user's, a case past the end) becomes the
 * 404 page, so that pages map it in this one place, as route handlers do through `error-status.ts`; every other
 * error reaches the error boundary.
 */
export async function orNotFound<T>(lookup: () => Promise<T>): Promise<T> {
  try {
    return await lookup();
  } catch (e) {
    if (isDomainError(e, "not-found")) notFound();
    throw e;
  }
}
