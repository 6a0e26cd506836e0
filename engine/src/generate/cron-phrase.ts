// Plain-English schedules to cron: "every weekday at 9", "every 15 minutes", "daily at 7:30pm",
// "every monday", "hourly". Whatever is not said falls back to a sensible default (09:00 daily).
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

export interface CronPhrase {
  cron: string;
  /** The words the cron was read from, for the explanation. */
  matched: string;
}

/** The time of day a phrase names ("at 9", "at 7:30pm", "at noon"), or undefined. */
function timeOfDay(text: string): { hour: number; minute: number; words: string } | undefined {
  if (/\b(at )?noon\b/.test(text)) return { hour: 12, minute: 0, words: 'noon' };
  if (/\b(at )?midnight\b/.test(text)) return { hour: 0, minute: 0, words: 'midnight' };
  const m = /\bat (\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?![\d%])/.exec(text);
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = m[2] ? Number(m[2]) : 0;
  const half = m[3]?.replaceAll('.', '');
  if (half === 'pm' && hour < 12) hour += 12;
  if (half === 'am' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return undefined;
  return { hour, minute, words: m[0] };
}

/** A cron for the schedule a description states; undefined when it states none. */
export function cronFromPhrase(input: string): CronPhrase | undefined {
  const text = input.toLowerCase();
  const at = timeOfDay(text);
  const hh = at?.hour ?? 9;
  const mm = at?.minute ?? 0;
  const withTime = (words: string) => (at ? `${words} ${at.words}` : words);

  const every = /\bevery (\d{1,3}) (minute|hour|day)s?\b/.exec(text);
  if (every) {
    const n = Number(every[1]);
    if (every[2] === 'minute' && n >= 1 && n < 60) return { cron: `*/${n} * * * *`, matched: every[0] };
    if (every[2] === 'hour' && n >= 1 && n < 24) return { cron: `${mm} */${n} * * *`, matched: every[0] };
    if (every[2] === 'day' && n >= 1 && n <= 31) return { cron: `${mm} ${hh} */${n} * *`, matched: withTime(every[0]) };
  }
  const minutely = /\bevery minute\b/.exec(text);
  if (minutely) return { cron: '* * * * *', matched: minutely[0] };
  const hourly = /\b(every hour|hourly|each hour)\b/.exec(text);
  if (hourly) return { cron: `${at?.minute ?? 0} * * * *`, matched: hourly[0] };
  const weekday = /\b(every|each|on) (weekday|work ?day|business day)s?\b|\bweekdays\b|\bmonday (to|through|-) friday\b/.exec(text);
  if (weekday) return { cron: `${mm} ${hh} * * 1-5`, matched: withTime(weekday[0]) };
  const weekend = /\b(every|each|on) weekends?\b/.exec(text);
  if (weekend) return { cron: `${mm} ${hh} * * 0,6`, matched: withTime(weekend[0]) };
  const day = new RegExp(`\\b(every|each|on) (${DAYS.join('|')})s?\\b`).exec(text);
  if (day) return { cron: `${mm} ${hh} * * ${DAYS.indexOf(day[2] as (typeof DAYS)[number])}`, matched: withTime(day[0]) };
  const weekly = /\b(every week|weekly|each week)\b/.exec(text);
  if (weekly) return { cron: `${mm} ${hh} * * 1`, matched: withTime(weekly[0]) };
  const monthly = /\b(every month|monthly|each month)\b/.exec(text);
  if (monthly) return { cron: `${mm} ${hh} 1 * *`, matched: withTime(monthly[0]) };
  const morning = /\b(every|each) morning\b|\bmorning (digest|report|summary)\b/.exec(text);
  if (morning) return { cron: `${at?.minute ?? 0} ${at?.hour ?? 8} * * *`, matched: withTime(morning[0]) };
  const evening = /\b(every|each) (evening|night)\b|\bnightly\b/.exec(text);
  if (evening) return { cron: `${at?.minute ?? 0} ${at?.hour ?? 18} * * *`, matched: withTime(evening[0]) };
  const daily = /\b(every day|daily|each day|once a day)\b/.exec(text);
  if (daily) return { cron: `${mm} ${hh} * * *`, matched: withTime(daily[0]) };
  if (at && /\bat \d/.test(at.words)) return { cron: `${mm} ${hh} * * *`, matched: at.words };
  return undefined;
}
