/** A model or labels file the user picked cannot be imported; the message says why, in words for the user. */
export class ImportError extends Error {
  override name = 'ImportError';
}
