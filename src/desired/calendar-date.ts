/** `YYYY-MM-DD` of a moment, in UTC: expiry dates are whole UTC days. */
export function utcDate(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}

/** True for a real calendar date written YYYY-MM-DD (2027-02-29 is not one). */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && utcDate(parsed) === text;
}

/** The date `days` days after a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return utcDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000));
}
