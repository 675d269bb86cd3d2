/**
 * Truth tables for the date functions. The clock is fixed at 2021-08-25 17:41:18 UTC, the
 * "Now" used in Entra's DateDiff examples.
 */
import { err, expectOutcome, run, type Row } from './helpers';

const hire = { StatusHireDate: '2012-03-16-07:00' };

const CDATE: Row[] = [
  ['CDate([StatusHireDate])', { StatusHireDate: '2020-03-16-07:00' }, '3/16/2020 7:00:00 AM'], // doc
  ['CDate("2021-06-30+08:00")', {}, '6/29/2021 4:00:00 PM'], // doc
  ['CDate("2009-06-15T01:45:30-07:00")', {}, '6/15/2009 8:45:30 AM'], // doc
  ['CDate("8/25/2021 5:41:18 PM")', {}, '8/25/2021 5:41:18 PM'],
  ['CDate("2021-08-24")', {}, '8/24/2021 12:00:00 AM'],
  ['CDate("2021-08-24T13:05:00Z")', {}, '8/24/2021 1:05:00 PM'],
  ['CDate("2021-08-24T13:05:00.1234567+0530")', {}, '8/24/2021 7:35:00 AM'],
  ['CDate("15 June 2009")', {}, '6/15/2009 12:00:00 AM'],
  ['CDate("Mon, 15 Jun 2009 01:45:30 GMT")', {}, '6/15/2009 1:45:30 AM'],
  ['CDate("June 15, 2009 1:45 PM")', {}, '6/15/2009 1:45:00 PM'],
  ['CDate("12:30")', {}, '8/25/2021 12:30:00 PM'],
  ['CDate("0001-01-01")', {}, '1/1/0001 12:00:00 AM'],
  ['CDate("2021-02-30")', {}, err('invalid-date')],
  ['CDate("not a date")', {}, err('invalid-date')],
  ['CDate("0001-01-01T00:00:00+01:00")', {}, err('invalid-date')],
  ['CDate([missing])', {}, null],
  ['CDate(20210101)', {}, err('type-mismatch')],
  ['CDate()', {}, err('arity')],
];

const DATE_ADD: Row[] = [
  ['DateAdd("d", 7, CDate([StatusHireDate]))', hire, '3/23/2012 7:00:00 AM'], // doc
  ['DateAdd("d", -10, CDate([StatusHireDate]))', hire, '3/6/2012 7:00:00 AM'], // doc
  ['DateAdd("ww", 2, CDate([StatusHireDate]))', hire, '3/30/2012 7:00:00 AM'], // doc
  ['DateAdd("m", 10, CDate([StatusHireDate]))', hire, '1/16/2013 7:00:00 AM'], // doc
  ['DateAdd("yyyy", 2, CDate([StatusHireDate]))', hire, '3/16/2014 7:00:00 AM'], // doc
  ['DateAdd("m", 1, "2021-01-31")', {}, '2/28/2021 12:00:00 AM'],
  ['DateAdd("yyyy", 1, "2020-02-29")', {}, '2/28/2021 12:00:00 AM'],
  ['DateAdd("q", 1, "2021-01-01")', {}, '4/1/2021 12:00:00 AM'],
  ['DateAdd("h", 25, "2021-01-01")', {}, '1/2/2021 1:00:00 AM'],
  ['DateAdd("n", 90, "2021-01-01")', {}, '1/1/2021 1:30:00 AM'],
  ['DateAdd("s", -1, "2021-01-01")', {}, '12/31/2020 11:59:59 PM'],
  ['DateAdd("D", "2", "2021-01-01")', {}, '1/3/2021 12:00:00 AM'],
  ['DateAdd("d", 1.9, "2021-01-01")', {}, '1/2/2021 12:00:00 AM'],
  ['DateAdd("d", 1, Now())', {}, '8/26/2021 5:41:18 PM'],
  ['DateAdd("x", 1, "2021-01-01")', {}, err('invalid-argument')],
  ['DateAdd("yyyy", 1, "9999-06-01")', {}, err('invalid-date')],
  ['DateAdd("d", 1, [missing])', {}, null],
  ['DateAdd("d", [missing], "2021-01-01")', {}, null],
  ['DateAdd("d", "one", "2021-01-01")', {}, err('type-mismatch')],
  ['DateAdd("d", 1)', {}, err('arity')],
];

const DATE_DIFF: Row[] = [
  ['DateDiff("d", "2021-08-18+08:00", "2021-08-31+08:00")', {}, 13], // doc
  ['DateDiff("d", "8/25/2021 5:41:18 PM", "2012-03-16-07:00")', {}, -3449], // doc
  ['DateDiff("ww", "8/25/2021 5:41:18 PM", "2012-03-16-07:00")', {}, -493], // doc
  ['DateDiff("m", "8/25/2021 5:41:18 PM", "2012-03-16-07:00")', {}, -113], // doc
  ['DateDiff("yyyy", "8/25/2021 5:41:18 PM", "2012-03-16-07:00")', {}, -9], // doc
  ['DateDiff("d", "2021-08-31+08:00", "2021-08-31+08:00")', {}, 0], // doc
  ['DateDiff("h", "2021-08-24", "2021-08-25")', {}, 24], // doc
  ['DateDiff("n", "2021-08-24", "2021-08-25")', {}, 1440], // doc
  ['DateDiff("s", "2021-08-24", "2021-08-25")', {}, 86400], // doc
  ['DateDiff("d", Now(), CDate([StatusHireDate]))', hire, -3449], // doc
  ['DateDiff("q", "2021-01-15", "2021-12-01")', {}, 3],
  ['DateDiff("d", "2021-01-01T00:00:00Z", "2021-01-02T23:59:59Z")', {}, 1],
  ['DateDiff("h", "2021-01-01T01:30:00Z", "2021-01-01T00:00:00Z")', {}, -1],
  ['DateDiff("yyyy", "2020-12-31", "2021-01-01")', {}, 1],
  ['DateDiff("w", "2021-01-01", "2021-01-15")', {}, 2],
  ['DateDiff("d", [missing], "2021-01-01")', {}, null],
  ['DateDiff("d", "yesterday", "2021-01-01")', {}, err('invalid-date')],
  ['DateDiff("fortnight", "2021-01-01", "2021-01-02")', {}, err('invalid-argument')],
  ['DateDiff("d", "2021-01-01")', {}, err('arity')],
];

const DATE_FROM_NUM: Row[] = [
  ['DateFromNum(129699324000000000)', {}, '1/1/2012 11:00:00 PM'], // doc
  ['DateFromNum([lastLogonTimestamp])', { lastLogonTimestamp: '129699324000000000' }, '1/1/2012 11:00:00 PM'], // doc
  ['DateFromNum(0)', {}, '1/1/1601 12:00:00 AM'],
  ['DateFromNum([accountExpires])', { accountExpires: '9223372036854775807' }, err('invalid-argument')],
  ['DateFromNum(-1)', {}, err('invalid-argument')],
  ['DateFromNum("abc")', {}, err('type-mismatch')],
  ['DateFromNum([missing])', {}, null],
  ['DateFromNum()', {}, err('arity')],
];

const FORMAT_DATE_TIME: Row[] = [
  [
    'FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")',
    { extensionAttribute1: '20150123105347.1Z' },
    '2015-01-23',
  ], // doc
  [
    'FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd")',
    { ContractEndDate: '2020-12-31-08:00' },
    '2020-12-31',
  ], // doc (NumFromDate example)
  [
    'FormatDateTime([endDate], ,"M/d/yyyy hh:mm:ss tt","yyyy-MM-dd")',
    { endDate: '6/30/2021 11:30:00 PM' },
    '2021-06-30',
  ], // doc (SuccessFactors)
  ['FormatDateTime("2020-12-31+08:00", , "yyyy-MM-ddzzz", "yyyy-MM-dd")', {}, '2020-12-30'],
  ['FormatDateTime("2021-06-30", "yyyy-MM-dd", "dd.MM.yyyy")', {}, '30.06.2021'],
  [
    'FormatDateTime("2021-06-30 14:05:09", , "yyyy-MM-dd HH:mm:ss", "dddd, MMMM d, yyyy h:mm tt")',
    {},
    'Wednesday, June 30, 2021 2:05 PM',
  ],
  ['FormatDateTime("2021-06-30", , "yyyy-MM-dd", "MMM dd yy")', {}, 'Jun 30 21'],
  ['FormatDateTime("20150123105347.1Z", , "yyyyMMddHHmmss.fZ", "HH:mm:ss.FFF")', {}, '10:53:47.1'],
  ['FormatDateTime("2021-06-30 14:05:09", , "yyyy-MM-dd HH:mm:ss", "ss.FFF")', {}, '09'],
  ['FormatDateTime("2021-06-30T14:05:09Z", , "yyyy-MM-ddTHH:mm:ssK", "o")', {}, '2021-06-30T14:05:09.0000000Z'],
  ['FormatDateTime("2021-06-30T14:05:09", , "yyyy-MM-ddTHH:mm:ss", "s")', {}, '2021-06-30T14:05:09'],
  ['FormatDateTime("2021-06-30", , "yyyy-MM-dd", "d")', {}, '6/30/2021'],
  ['FormatDateTime("2021-06-30", , "yyyy-MM-dd", "\'Q\'yyyy")', {}, 'Q2021'],
  ['FormatDateTime("2021-06-30", , "yyyy-MM-dd", "yyyy\\\\-MM")', {}, '2021-06'],
  ['FormatDateTime("  2021-06-30 ", , "yyyy-MM-dd", "yyyy")', {}, '2021'],
  ['FormatDateTime(" 2021-06-30", "None", "yyyy-MM-dd", "yyyy")', {}, err('invalid-date')],
  ['FormatDateTime("2021 - 06 - 30", "AllowWhiteSpaces", "yyyy-MM-dd", "yyyy")', {}, '2021'],
  [
    'FormatDateTime("2021-06-30T10:00:00+02:00", "AdjustToUniversal", "yyyy-MM-ddTHH:mm:sszzz", "HH:mm K")',
    {},
    '08:00 Z',
  ],
  ['FormatDateTime("2021-06-30", "Bogus", "yyyy-MM-dd", "yyyy")', {}, err('invalid-argument')],
  ['FormatDateTime("14:05", , "HH:mm", "yyyy-MM-dd HH:mm")', {}, '2021-08-25 14:05'],
  ['FormatDateTime("14:05", "NoCurrentDateDefault", "HH:mm", "yyyy-MM-dd HH:mm")', {}, '0001-01-01 14:05'],
  ['FormatDateTime("30/06/49", , "dd/MM/yy", "yyyy")', {}, '2049'],
  ['FormatDateTime("30/06/50", , "dd/MM/yy", "yyyy")', {}, '1950'],
  ['FormatDateTime("30 June 2021", , "dd MMMM yyyy", "yyyy-MM-dd")', {}, '2021-06-30'],
  ['FormatDateTime("Wed 30 June 2021", , "ddd dd MMMM yyyy", "yyyy")', {}, '2021'],
  ['FormatDateTime("Tue 30 June 2021", , "ddd dd MMMM yyyy", "yyyy")', {}, err('invalid-date')],
  ['FormatDateTime("2021/06/30", , "yyyy-MM-dd", "yyyy")', {}, err('invalid-date')],
  ['FormatDateTime("2021-02-30", , "yyyy-MM-dd", "yyyy")', {}, err('invalid-date')],
  ['FormatDateTime("2021-06-30", , "yyyy-MM-dd", "Q")', {}, err('invalid-argument')],
  ['FormatDateTime("2021-06-30", , "", "yyyy")', {}, err('invalid-argument')],
  ['FormatDateTime([missing], , "yyyy-MM-dd", "yyyy")', {}, null],
  ['FormatDateTime("x", "y")', {}, err('arity')],
];

const NOW_ROWS: Row[] = [
  ['Now()', {}, '8/25/2021 5:41:18 PM'],
  ['Now(1)', {}, err('arity')],
];

const NUM_FROM_DATE: Row[] = [
  [
    'NumFromDate(Join("", FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd"), " 23:59:59-08:00"))',
    { ContractEndDate: '2020-12-31-08:00' },
    132539615990000000,
  ], // doc (Workday)
  [
    'NumFromDate(Join("",FormatDateTime([endDate], ,"M/d/yyyy hh:mm:ss tt","yyyy-MM-dd")," 23:59:59-08:00"))',
    { endDate: '12/31/2020 12:00:00 AM' },
    132539615990000000,
  ], // doc (SuccessFactors)
  ['NumFromDate("2012-01-01T23:00:00Z")', {}, 129699324000000000],
  ['NumFromDate("1601-01-01T00:00:00Z")', {}, 0],
  ['DateFromNum(NumFromDate("2030-05-06T07:08:09Z"))', {}, '5/6/2030 7:08:09 AM'],
  ['NumFromDate("1600-12-31")', {}, err('invalid-date')],
  ['NumFromDate("31.12.2020")', {}, err('invalid-date')],
  ['NumFromDate([missing])', {}, null],
  ['NumFromDate()', {}, err('arity')],
];

describe.each([
  ['CDate', CDATE],
  ['DateAdd', DATE_ADD],
  ['DateDiff', DATE_DIFF],
  ['DateFromNum', DATE_FROM_NUM],
  ['FormatDateTime', FORMAT_DATE_TIME],
  ['Now', NOW_ROWS],
  ['NumFromDate', NUM_FROM_DATE],
])('%s', (_name, table) => {
  it.each(table)('%s with %j', (expression, attributes, expected) => {
    expectOutcome(expression, attributes, expected);
  });
});

describe('the injected clock', () => {
  it('drives Now() (the doc example value)', () => {
    expect(run('Now()', {}, 'seed', new Date('2021-07-02T15:33:38Z'))).toMatchObject({
      ok: true,
      value: '7/2/2021 3:33:38 PM',
    });
  });

  it('reports an invalid clock as an error, not an exception', () => {
    expect(run('Now()', {}, 'seed', new Date(Number.NaN))).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument' },
    });
  });
});
