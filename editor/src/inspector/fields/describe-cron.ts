// The human reading of a schedule: cronstrue's sentence plus the time zone it runs in, e.g.
// "At 09:00, Monday through Friday, Europe/Paris". Macros are read as the crons they stand for.
import cronstrue from 'cronstrue';

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export type CronReading = { ok: true; text: string } | { ok: false; problem: string };

export function describeCron(cron: string, timezone: string): CronReading {
  const trimmed = cron.trim();
  if (trimmed === '') return { ok: false, problem: 'Write a schedule, e.g. 0 9 * * 1-5' };
  const fields = MACROS[trimmed.toLowerCase()] ?? trimmed;
  const parts = fields.split(/\s+/).length;
  // The scheduler takes 5 fields, or 6 with seconds first; cronstrue would also take 7 (years).
  if (parts !== 5 && parts !== 6) return { ok: false, problem: `A schedule has 5 fields (minute hour day month weekday) or 6 with seconds first; this has ${parts}` };
  try {
    const text = cronstrue.toString(fields, { use24HourTimeFormat: true, throwExceptionOnParseError: true });
    return { ok: true, text: `${text}, ${timezone}` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: message.replace(/^Error:\s*/, '') };
  }
}
