// A failure with an HTTP status, thrown by domain code and turned into a JSON answer at the edge.
export class HttpError extends Error {
  constructor(public status: number, message: string, public details?: unknown) {
    super(message);
    this.name = "HttpError";
  }
}
