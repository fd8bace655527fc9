import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from './errors.js';
import {
  PERIOD_TYPES, expiryInstant, isFutureBeyondOpen, isPeriodType, isTimely, nextPeriod, parsePeriod,
  periodOfType, periodsBetween, periodsWithin, previousPeriod, timelinessDeadline, toAdx, todayIst,
  tryParsePeriod, type Period, type PeriodType,
} from './periods.js';

const span = (id: string) => { const p = parsePeriod(id); return [p.type, p.startDate, p.endDate]; };
const ids = (ps: Period[]) => ps.map((p) => p.id);
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Asserts a 400 AppError whose English message matches `en` and which has a Hindi message too. */
function refuses(text: string, en: RegExp, field = 'period') {
  assert.throws(() => parsePeriod(text, field), (e: unknown) => {
    assert.ok(e instanceof AppError, `expected AppError for ${JSON.stringify(text)}`);
    assert.equal(e.status, 400);
    assert.equal(e.code, 'bad_request');
    assert.match(e.msg.en, en);
    assert.ok(e.msg.en.startsWith(`${field} `), e.msg.en);
    assert.ok(e.msg.hi && /[\u0900-\u097F]/.test(e.msg.hi), `Hindi message for ${text}: ${e.msg.hi}`);
    assert.equal(e.details?.field, field);
    return true;
  });
  assert.equal(tryParsePeriod(text), null);
}

describe('parsePeriod: every DHIS2 period type', () => {
  const cases: [string, PeriodType, string, string][] = [
    ['20241105', 'Daily', '2024-11-05', '2024-11-05'],
    ['2024W47', 'Weekly', '2024-11-18', '2024-11-24'],
    ['2024WedW5', 'WeeklyWednesday', '2024-01-31', '2024-02-06'],
    ['2024ThuW5', 'WeeklyThursday', '2024-02-01', '2024-02-07'],
    ['2024SatW5', 'WeeklySaturday', '2024-01-27', '2024-02-02'],
    ['2024SunW5', 'WeeklySunday', '2024-01-28', '2024-02-03'],
    ['2024BiW1', 'BiWeekly', '2024-01-01', '2024-01-14'],
    ['202411', 'Monthly', '2024-11-01', '2024-11-30'],
    ['202401B', 'BiMonthly', '2024-01-01', '2024-02-29'],
    ['202406B', 'BiMonthly', '2024-11-01', '2024-12-31'],
    ['2024Q4', 'Quarterly', '2024-10-01', '2024-12-31'],
    ['2024S1', 'SixMonthly', '2024-01-01', '2024-06-30'],
    ['2024AprilS1', 'SixMonthlyApril', '2024-04-01', '2024-09-30'],
    ['2024AprilS2', 'SixMonthlyApril', '2024-10-01', '2025-03-31'],
    // DHIS2 names November six-months and years by the year they end in
    ['2025NovS1', 'SixMonthlyNov', '2024-11-01', '2025-04-30'],
    ['2025NovS2', 'SixMonthlyNov', '2025-05-01', '2025-10-31'],
    ['2024', 'Yearly', '2024-01-01', '2024-12-31'],
    ['2024April', 'FinancialApril', '2024-04-01', '2025-03-31'],
    ['2024July', 'FinancialJuly', '2024-07-01', '2025-06-30'],
    ['2024Oct', 'FinancialOct', '2024-10-01', '2025-09-30'],
    ['2025Nov', 'FinancialNov', '2024-11-01', '2025-10-31'],
  ];
  for (const [id, type, start, end] of cases) {
    test(`${id} is ${type} ${start}..${end}`, () => {
      assert.deepEqual(parsePeriod(id), { id, type, startDate: start, endDate: end });
    });
  }
  test('spaces around the id are trimmed and ids come back canonical', () => {
    assert.deepEqual(parsePeriod('  202411 '), parsePeriod('202411'));
    assert.equal(parsePeriod('2024W05').id, '2024W5');
    assert.equal(parsePeriod('2024Q04').id, '2024Q4');
  });
});

describe('weeks', () => {
  test('ISO week boundaries', () => {
    assert.equal(parsePeriod('2024W1').startDate, '2024-01-01');
    assert.equal(parsePeriod('2020W53').endDate, '2021-01-03');
    assert.equal(parsePeriod('2026W1').startDate, '2025-12-29');
    assert.equal(parsePeriod('2021W1').startDate, '2021-01-04');
    assert.equal(periodOfType('Weekly', '2021-01-01').id, '2020W53');
    assert.equal(periodOfType('Weekly', '2025-12-31').id, '2026W1');
    assert.equal(periodOfType('Weekly', '2024-12-30').id, '2025W1');
  });
  test('2021W53 and 2024W53 do not exist', () => {
    refuses('2021W53', /2021W53 is not a week; 2021 has ISO weeks \(Monday start\) 1 to 52/);
    refuses('2024W53', /1 to 52/);
  });
  test('other weekly types start on their own weekday, week 1 holding 4 January', () => {
    const starts: [PeriodType, number][] = [['WeeklyWednesday', 3], ['WeeklyThursday', 4], ['WeeklySaturday', 6], ['WeeklySunday', 0]];
    for (const [type, day] of starts) {
      for (let y = 2015; y <= 2030; y++) {
        const w1 = parsePeriod(periodOfType(type, `${y}-01-04`).id);
        assert.match(w1.id, new RegExp(`^${y}[A-Za-z]+W1$`));
        assert.equal(new Date(`${w1.startDate}T00:00:00Z`).getUTCDay(), day);
        assert.ok(w1.startDate <= `${y}-01-04` && w1.endDate >= `${y}-01-04`);
      }
    }
    assert.equal(periodOfType('WeeklySunday', '2023-01-01').id, '2023SunW1');
    assert.equal(periodOfType('WeeklySaturday', '2022-01-01').id, '2022SatW1');
    refuses('2020WedW53', /2020WedW53 is not a week; 2020 has Wednesday-start weeks 1 to 52/);
  });
  test('BiWeekly pairs ISO weeks; a 53-week year has BiW27, overlapping the next BiW1 as in DHIS2', () => {
    assert.deepEqual(span('2024BiW26'), ['BiWeekly', '2024-12-16', '2024-12-29']);
    assert.deepEqual(span('2020BiW27'), ['BiWeekly', '2020-12-28', '2021-01-10']);
    refuses('2024BiW27', /2024BiW27 is not a bi-week; .* 1 to 26/);
    assert.equal(nextPeriod(parsePeriod('2020BiW27')).id, '2021BiW1');
    assert.equal(previousPeriod(parsePeriod('2021BiW1')).id, '2020BiW27');
    assert.equal(periodOfType('BiWeekly', '2024-01-10').id, '2024BiW1');
    assert.equal(periodOfType('BiWeekly', '2024-01-15').id, '2024BiW2');
  });
});

describe('days and leap years', () => {
  test('20240229 is valid, 20230229 is refused', () => {
    assert.deepEqual(span('20240229'), ['Daily', '2024-02-29', '2024-02-29']);
    refuses('20230229', /20230229 is not a date; 2023-02 has days 01 to 28/);
    assert.equal(parsePeriod('202402').endDate, '2024-02-29');
    assert.equal(parsePeriod('202302').endDate, '2023-02-28');
    assert.equal(parsePeriod('190002').endDate, '1900-02-28');
    assert.equal(parsePeriod('200002').endDate, '2000-02-29');
  });
});

describe('periods within periods', () => {
  test('FinancialApril holds its 12 months in order', () => {
    assert.deepEqual(ids(periodsWithin(parsePeriod('2024April'), 'Monthly')),
      ['202404', '202405', '202406', '202407', '202408', '202409', '202410', '202411', '202412', '202501', '202502', '202503']);
    assert.deepEqual(ids(periodsWithin(parsePeriod('2024April'), 'Quarterly')), ['2024Q2', '2024Q3', '2024Q4', '2025Q1']);
    assert.deepEqual(ids(periodsWithin(parsePeriod('2024April'), 'SixMonthlyApril')), ['2024AprilS1', '2024AprilS2']);
  });
  test('quarters and six-months hold their months', () => {
    assert.deepEqual(ids(periodsWithin(parsePeriod('2024Q4'), 'Monthly')), ['202410', '202411', '202412']);
    assert.deepEqual(ids(periodsWithin(parsePeriod('2024Q1'), 'Monthly')), ['202401', '202402', '202403']);
    assert.deepEqual(ids(periodsWithin(parsePeriod('2024S2'), 'Monthly')), ['202407', '202408', '202409', '202410', '202411', '202412']);
    assert.deepEqual(ids(periodsWithin(parsePeriod('2024S1'), 'Quarterly')), ['2024Q1', '2024Q2']);
    assert.deepEqual(ids(periodsWithin(parsePeriod('2025NovS1'), 'Monthly')), ['202411', '202412', '202501', '202502', '202503', '202504']);
    assert.deepEqual(ids(periodsWithin(parsePeriod('2024'), 'BiMonthly')), ['202401B', '202402B', '202403B', '202404B', '202405B', '202406B']);
  });
  test('only whole periods count: 2024 holds 52 ISO weeks, 202411 holds 30 days and 3 whole weeks', () => {
    const weeks = periodsWithin(parsePeriod('2024'), 'Weekly');
    assert.equal(weeks.length, 52);
    assert.equal(weeks[0].id, '2024W1');
    assert.equal(weeks[51].id, '2024W52');
    assert.equal(periodsWithin(parsePeriod('202411'), 'Daily').length, 30);
    assert.deepEqual(ids(periodsWithin(parsePeriod('202411'), 'Weekly')), ['2024W45', '2024W46', '2024W47']);
  });
  test('periodsBetween returns every period overlapping the range', () => {
    assert.deepEqual(ids(periodsBetween('Monthly', '2024-11-15', '2025-01-10')), ['202411', '202412', '202501']);
    assert.deepEqual(ids(periodsBetween('Weekly', '2024-12-31', '2025-01-06')), ['2025W1', '2025W2']);
    assert.deepEqual(ids(periodsBetween('FinancialApril', '2024-03-31', '2024-04-01')), ['2023April', '2024April']);
    assert.deepEqual(ids(periodsBetween('Daily', '2024-11-05', '2024-11-05')), ['20241105']);
    assert.throws(() => periodsBetween('Monthly', '2024-12-01', '2024-11-01'), /start 2024-12-01 is after end 2024-11-01/);
    assert.throws(() => periodsBetween('Monthly', '2024-11-31', '2024-12-01'), /start 2024-11-31 is not a date/);
    assert.throws(() => periodsBetween('Fortnightly' as PeriodType, '2024-11-01', '2024-12-01'), /periodType Fortnightly is not a period type/);
  });
});

describe('next and previous', () => {
  test('steps across year ends', () => {
    assert.equal(nextPeriod(parsePeriod('202412')).id, '202501');
    assert.equal(nextPeriod(parsePeriod('202411'), 14).id, '202601');
    assert.equal(previousPeriod(parsePeriod('202401'), 13).id, '202212');
    assert.equal(nextPeriod(parsePeriod('2020W53')).id, '2021W1');
    assert.equal(previousPeriod(parsePeriod('2021W1')).id, '2020W53');
    assert.equal(nextPeriod(parsePeriod('2024Q4')).id, '2025Q1');
    assert.equal(nextPeriod(parsePeriod('20241231')).id, '20250101');
    assert.equal(previousPeriod(parsePeriod('2025NovS1')).id, '2024NovS2');
    assert.equal(nextPeriod(parsePeriod('2025NovS2')).id, '2026NovS1');
    assert.equal(nextPeriod(parsePeriod('2024April'), -1).id, '2023April');
    assert.equal(nextPeriod(parsePeriod('2025Nov')).id, '2026Nov');
    assert.equal(nextPeriod(parsePeriod('202406B')).id, '202501B');
    assert.equal(nextPeriod(parsePeriod('2024BiW26')).id, '2025BiW1');
    assert.equal(nextPeriod(parsePeriod('2024BiW1'), 0).id, '2024BiW1');
    assert.throws(() => nextPeriod(parsePeriod('2024'), 1.5), RangeError);
  });
  test('for every type, periods tile time and every id parses back to the same period', () => {
    for (const type of PERIOD_TYPES) {
      let p = periodOfType(type, '2019-06-15');
      for (let i = 0; i < 60; i++) {
        const q = nextPeriod(p);
        assert.deepEqual(parsePeriod(q.id), q);
        assert.equal(previousPeriod(q).id, p.id, `${type} ${q.id}`);
        const overlap = type === 'BiWeekly' && /BiW27$/.test(p.id);
        if (!overlap) assert.equal(q.startDate, addDays(p.endDate, 1), `${type} ${p.id} -> ${q.id}`);
        p = q;
      }
    }
  });
  test('every day 2019–2026 lies in the period periodOfType gives, for every type', () => {
    for (let d = '2019-01-01'; d <= '2026-12-31'; d = addDays(d, 1)) {
      for (const type of PERIOD_TYPES) {
        const p = periodOfType(type, d);
        assert.ok(p.startDate <= d && d <= p.endDate, `${type} ${d} ${p.id}`);
      }
    }
  });
});

describe('ADX', () => {
  test('round-trips for every type', () => {
    for (const type of PERIOD_TYPES) {
      for (const date of ['2019-12-30', '2020-12-31', '2024-02-29', '2024-11-05', '2026-01-01']) {
        const p = periodOfType(type, date);
        assert.deepEqual(parsePeriod(toAdx(p)), p, `${type} ${toAdx(p)}`);
      }
    }
  });
  test('maps to the DHIS2 period', () => {
    assert.equal(toAdx(parsePeriod('202411')), '2024-11-01/P1M');
    assert.equal(parsePeriod('2024-11-01/P1M').id, '202411');
    assert.equal(parsePeriod('2024-04-01/P1Y').id, '2024April');
    assert.equal(parsePeriod('2024-11-01/P1Y').id, '2025Nov');
    assert.equal(parsePeriod('2024-11-01/P6M').id, '2025NovS1');
    assert.equal(parsePeriod('2024-11-20/P7D').id, '2024WedW47');
    assert.equal(parsePeriod('2024-11-18/P7D').id, '2024W47');
    assert.equal(parsePeriod('2024-11-17/P7D').type, 'WeeklySunday');
    assert.equal(parsePeriod('2024-01-01/P14D').id, '2024BiW1');
    assert.equal(parsePeriod(' 2024-11-05/P1D ').id, '20241105');
  });
  test('a start that does not begin a period of that type is refused, saying so', () => {
    refuses('2024-11-02/P1M', /2024-11-02\/P1M does not begin a month; a P1M period must start on the 1st of a month, e\.g\. 2024-11-01\/P1M/);
    refuses('2024-11-19/P7D', /does not begin a week; .*2024-11-19 is a Tuesday/);
    refuses('2024-01-08/P14D', /does not begin a bi-week; .*e\.g\. 2024-01-01\/P14D/);
    refuses('2024-02-01/P2M', /does not begin a bi-month/);
    refuses('2024-02-01/P3M', /does not begin a quarter; .*e\.g\. 2024-01-01\/P3M/);
    refuses('2024-02-01/P6M', /does not begin a six-month period/);
    refuses('2024-02-01/P1Y', /does not begin a year/);
    refuses('2024-11-01/P4M', /duration P4M, which is not supported/);
    refuses('2023-02-29/P1D', /is not a date; 2023-02 has days 01 to 28/);
  });
});

describe('bad inputs give a 400 that names the problem', () => {
  test('each one', () => {
    refuses('202413', /^period 202413 is not a month; use YYYYMM with a month from 01 to 12$/);
    refuses('202400', /is not a month/);
    refuses('2024Q5', /2024Q5 is not a quarter; use YYYYQn with a number from 1 to 4/);
    refuses('2024W0', /2024W0 is not a week; 2024 has ISO weeks \(Monday start\) 1 to 52/);
    refuses('2024S3', /is not a six-month period/);
    refuses('202407B', /is not a bi-month; .*01 = January–February/);
    refuses('2024Aprl', /2024Aprl is not a period; did you mean 2024April\?/);
    refuses('2024april', /did you mean 2024April\?/);
    refuses('2024Apr', /did you mean 2024April\?/);
    refuses('2024October', /did you mean 2024Oct\?/);
    refuses('2024aprils1', /did you mean 2024AprilS1\?/);
    refuses('hello', /hello is not a period\. Use the DHIS2 form/);
    refuses('', /^period is empty; give a period/);
    refuses('   ', /is empty/);
    refuses(undefined as unknown as string, /is empty/);
    refuses('1850', /year 1850, which is out of range/);
    refuses('202413', /^dataPeriod 202413/, 'dataPeriod');
  });
  test('the Hindi message says the same', () => {
    try { parsePeriod('202413'); assert.fail('should throw'); } catch (e) {
      assert.ok(e instanceof AppError);
      assert.equal(e.msg.hi, 'period 202413 कोई महीना नहीं है; YYYYMM लिखें, जिसमें महीना 01 से 12 तक हो');
      assert.deepEqual(e.details?.fields, [{ field: 'period', message: '202413 is not a month; use YYYYMM with a month from 01 to 12', messageHi: '202413 कोई महीना नहीं है; YYYYMM लिखें, जिसमें महीना 01 से 12 तक हो' }]);
    }
  });
});

describe('deadlines in Asia/Kolkata', () => {
  const nov = parsePeriod('202411');
  test('"return by the 5th": 202411 is on time until the end of 5 December IST', () => {
    assert.equal(timelinessDeadline(nov, 5).toISOString(), '2024-12-05T18:30:00.000Z');
    assert.equal(isTimely(nov, 5, new Date('2024-12-05T23:59:00+05:30')), true);
    assert.equal(isTimely(nov, 5, new Date('2024-12-06T00:01:00+05:30')), false);
    assert.equal(isTimely(nov, 5, new Date('2024-12-05T23:59:59.999+05:30')), true);
    assert.equal(isTimely(nov, 5, new Date('2024-12-06T00:00:00+05:30')), false);
    assert.equal(isTimely(nov, 0, new Date('2024-11-30T23:00:00+05:30')), true);
    assert.equal(isTimely(nov, 0, new Date('2024-12-01T00:00:00+05:30')), false);
    assert.throws(() => timelinessDeadline(nov, -1), RangeError);
  });
  test('expiryDays: 0 never expires, otherwise entry closes at the end of endDate + expiryDays IST', () => {
    assert.equal(expiryInstant(nov, 0), null);
    assert.equal(expiryInstant(nov, 10)?.toISOString(), '2024-12-10T18:30:00.000Z');
  });
  test('todayIst', () => {
    assert.equal(todayIst(new Date('2024-11-30T18:29:59Z')), '2024-11-30');
    assert.equal(todayIst(new Date('2024-11-30T18:30:00Z')), '2024-12-01');
    assert.match(todayIst(), /^\d{4}-\d{2}-\d{2}$/);
  });
  test('openFuturePeriods: 0 leaves the current period open and no later one', () => {
    const now = new Date('2024-11-20T10:00:00+05:30');
    assert.equal(isFutureBeyondOpen(parsePeriod('202410'), 0, now), false);
    assert.equal(isFutureBeyondOpen(parsePeriod('202411'), 0, now), false);
    assert.equal(isFutureBeyondOpen(parsePeriod('202412'), 0, now), true);
    assert.equal(isFutureBeyondOpen(parsePeriod('202412'), 1, now), false);
    assert.equal(isFutureBeyondOpen(parsePeriod('202501'), 1, now), true);
    assert.equal(isFutureBeyondOpen(parsePeriod('2024W48'), 1, now), false);
    // 30 November 19:00 UTC is already 1 December in India
    assert.equal(isFutureBeyondOpen(parsePeriod('202412'), 0, new Date('2024-11-30T19:00:00Z')), false);
  });
});

describe('period types', () => {
  test('isPeriodType', () => {
    assert.equal(PERIOD_TYPES.length, 18);
    for (const t of PERIOD_TYPES) assert.equal(isPeriodType(t), true);
    assert.equal(isPeriodType('monthly'), false);
    assert.equal(isPeriodType('QuarterlyNov'), false);
    assert.equal(periodOfType('FinancialApril', '2025-03-31').id, '2024April');
    assert.equal(periodOfType('FinancialNov', '2024-10-31').id, '2024Nov');
    assert.equal(periodOfType('SixMonthlyNov', '2025-05-01').id, '2025NovS2');
  });
});
