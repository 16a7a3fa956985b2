/** The public board's absolute address, as a phone scanning the poster opens it. */
export function boardUrl(origin: string = window.location.origin): string {
  return `${origin.replace(/\/$/, '')}/board`;
}
