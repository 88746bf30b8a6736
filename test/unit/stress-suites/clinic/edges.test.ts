// Edge cases of the clinic code's small pure helpers, which the stress suites exercise only in bulk.
import { slotTime } from '../../../../stress-suites/clinic/booking';
import { normalisePhone, parseSmsCommand } from '../../../../stress-suites/clinic/channels';
import { luhnValid, ssnValid } from '../../../../stress-suites/clinic/redaction';

test('Luhn: the classic test numbers pass, a changed digit or a non-digit fails', () => {
  expect(['4111111111111111', '5555555555554444', '378282246310005', '79927398713'].map(luhnValid)).toEqual([true, true, true, true]);
  expect(['4111111111111112', '79927398710', '4111-1111-1111-1111', ''].map(luhnValid)).toEqual([false, false, false, false]);
});

test('SSN ranges: area 000, 666 and 900+ are never issued, nor group 00 or serial 0000', () => {
  expect([ssnValid('001', '01', '0001'), ssnValid('899', '99', '9999')]).toEqual([true, true]);
  expect([ssnValid('000', '12', '3456'), ssnValid('666', '12', '3456'), ssnValid('900', '12', '3456'), ssnValid('123', '00', '4567'), ssnValid('123', '45', '0000')]).toEqual([false, false, false, false, false]);
});

test('phone numbers normalise to E.164, or to nothing', () => {
  expect(['(415) 555-0123', '415.555.0123', '1-415-555-0123', '+1 415 555 0123', '+44 20 7946 0958'].map(normalisePhone)).toEqual([
    '+14155550123',
    '+14155550123',
    '+14155550123',
    '+14155550123',
    '+442079460958',
  ]);
  expect(['555-0123', '22345678901', '+12', 'call me'].map(normalisePhone)).toEqual([null, null, null, null]);
});

test('slot times must be real calendar times', () => {
  expect(slotTime('2024-02-29', '23:59')).toBe('2024-02-29T23:59:00.000Z');
  expect(() => slotTime('2025-02-29', '09:00')).toThrow(RangeError);
  expect(() => slotTime('2025-03-04', '24:00')).toThrow(RangeError);
  expect(() => slotTime('2025-3-4', '9:00')).toThrow(RangeError);
});

test('SMS commands: 12am is midnight, 12pm is noon, and booking ids are matched exactly', () => {
  expect(parseSmsCommand('BOOK 2025-03-04 12am')).toMatchObject({ kind: 'book', startsAt: '2025-03-04T00:00:00.000Z' });
  expect(parseSmsCommand('BOOK 2025-03-04 12pm')).toMatchObject({ kind: 'book', startsAt: '2025-03-04T12:00:00.000Z' });
  expect(parseSmsCommand('cancel BK_00000012.')).toEqual({ kind: 'cancel', bookingId: 'bk_00000012' });
  expect(parseSmsCommand('CANCEL bk_12').kind).toBe('unknown');
  expect(parseSmsCommand('MOVE bk_00000001 TO 2025-03-05 at 3:15pm')).toEqual({ kind: 'move', bookingId: 'bk_00000001', startsAt: '2025-03-05T15:15:00.000Z' });
});
