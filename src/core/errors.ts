// The one way to turn a caught value into the message shown or posted: an Error's message, or
// anything else as a string.

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
