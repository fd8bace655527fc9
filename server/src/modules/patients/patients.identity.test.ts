import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkAadhaar, luhnCheckDigit, luhnValid, maskAadhaar, newPregnancyRegistrationNumber, normaliseMobile,
  parseAbhaAddress, parseAbhaNumber, validPregnancyRegistrationNumber, verhoeffCheckDigit, verhoeffValid,
  type IdentityProblem,
} from './patients.identity.js';

const DEVANAGARI = /[\u0900-\u097F]/;

/** Asserts a refusal whose English message matches `en` and which has a Hindi message too; returns it. */
function refused(result: { ok: boolean }, en: RegExp): IdentityProblem {
  assert.equal(result.ok, false, `expected a refusal, got ${JSON.stringify(result)}`);
  const problem = result as IdentityProblem;
  assert.match(problem.message, en);
  assert.ok(DEVANAGARI.test(problem.messageHi), `Hindi message: ${problem.messageHi}`);
  return problem;
}

/** A synthetic Aadhaar-shaped number: `base` (11 digits) and its Verhoeff check digit. Never a real person's number. */
const synthAadhaar = (base: string) => base + verhoeffCheckDigit(base);
/** A synthetic ABHA-shaped number: `base` (13 digits) and its Luhn check digit. */
const synthAbha = (base: string) => base + luhnCheckDigit(base);

/** A deterministic stand-in for Math.random (a small linear congruential generator). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

describe('Luhn', () => {
  test('the textbook numbers', () => {
    assert.equal(luhnValid('79927398713'), true);
    assert.equal(luhnCheckDigit('7992739871'), 3);
    assert.equal(luhnValid('4539578763621486'), true);
    assert.equal(luhnValid('4539578763621487'), false);
    assert.equal(luhnCheckDigit('0'), 0);
    assert.equal(luhnCheckDigit('1'), 8);
  });
  test('check digit and validity agree on many payloads', () => {
    const random = seeded(7);
    for (let n = 0; n < 200; n++) {
      const body = String(Math.floor(random() * 1e12)).padStart(12, '0');
      const check = luhnCheckDigit(body);
      assert.equal(luhnValid(body + check), true, body);
      assert.equal(luhnValid(body + ((check + 1) % 10)), false, body);
    }
  });
  test('catches every single-digit error', () => {
    const number = synthAbha('9112345678901');
    for (let i = 0; i < number.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === number[i]) continue;
        assert.equal(luhnValid(number.slice(0, i) + d + number.slice(i + 1)), false, `digit ${i} -> ${d}`);
      }
    }
  });
  test('empty or non-digit input is never valid, and has no check digit', () => {
    for (const bad of ['', '7', '7992739871a', '79927 398713']) assert.equal(luhnValid(bad), false, bad);
    assert.throws(() => luhnCheckDigit(''), RangeError);
    assert.throws(() => luhnCheckDigit('12a'), RangeError);
  });
});

describe('Verhoeff', () => {
  test('the textbook numbers', () => {
    assert.equal(verhoeffCheckDigit('236'), 3);
    assert.equal(verhoeffValid('2363'), true);
    assert.equal(verhoeffValid('2364'), false);
    assert.equal(verhoeffCheckDigit('12345'), 1);
    assert.equal(verhoeffValid('123451'), true);
    assert.equal(verhoeffCheckDigit('142857'), 0);
    assert.equal(verhoeffValid('1428570'), true);
  });
  test('catches every single-digit error and every swap of neighbouring digits', () => {
    const number = synthAadhaar('23412341234');
    assert.equal(verhoeffValid(number), true);
    for (let i = 0; i < number.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === number[i]) continue;
        assert.equal(verhoeffValid(number.slice(0, i) + d + number.slice(i + 1)), false, `digit ${i} -> ${d}`);
      }
      if (i + 1 < number.length && number[i] !== number[i + 1]) {
        const swapped = number.slice(0, i) + number[i + 1] + number[i] + number.slice(i + 2);
        assert.equal(verhoeffValid(swapped), false, `swap at ${i}`);
      }
    }
  });
  test('check digit and validity agree on many payloads', () => {
    const random = seeded(11);
    for (let n = 0; n < 200; n++) {
      const body = String(2 + Math.floor(random() * 8)) + String(Math.floor(random() * 1e10)).padStart(10, '0');
      assert.equal(verhoeffValid(synthAadhaar(body)), true, body);
    }
  });
  test('empty or non-digit input is never valid, and has no check digit', () => {
    for (const bad of ['', '0', '236a', '23 63']) assert.equal(verhoeffValid(bad), false, bad);
    assert.throws(() => verhoeffCheckDigit(''), RangeError);
    assert.throws(() => verhoeffCheckDigit('2x6'), RangeError);
  });
});

describe('parseAbhaNumber', () => {
  const good = synthAbha('9112345678901');
  const grouped = `${good.slice(0, 2)}-${good.slice(2, 6)}-${good.slice(6, 10)}-${good.slice(10)}`;

  test('accepts 14 digits with hyphens, spaces or nothing between the 2-4-4-4 groups', () => {
    for (const text of [good, grouped, grouped.replace(/-/g, ' '), ` ${grouped} `, grouped.replace(/-/g, ' - '),
      `${good.slice(0, 2)} ${good.slice(2, 6)}-${good.slice(6, 10)}  ${good.slice(10)}`]) {
      assert.deepEqual(parseAbhaNumber(text), { ok: true, digits: good, formatted: grouped, luhnValid: true }, text);
    }
  });
  test('the example from the messages parses', () => {
    const r = parseAbhaNumber('91-1234-5678-9012');
    assert.ok(r.ok);
    assert.equal(r.digits, '91123456789012');
    assert.equal(r.formatted, '91-1234-5678-9012');
  });
  test('a failed Luhn check is a warning (luhnValid: false), not a refusal', () => {
    const wrong = good.slice(0, 13) + ((Number(good[13]) + 1) % 10);
    const r = parseAbhaNumber(wrong);
    assert.ok(r.ok);
    assert.equal(r.luhnValid, false);
    assert.equal(r.digits, wrong);
  });
  test('Devanagari digits are read as digits', () => {
    const r = parseAbhaNumber('९१-१२३४-५६७८-९०१२');
    assert.ok(r.ok);
    assert.equal(r.formatted, '91-1234-5678-9012');
  });
  test('wrong number of digits says how many there are', () => {
    const p = refused(parseAbhaNumber('91-1234-5678-901'), /ABHA number has 14 digits, like 91-1234-5678-9012; this has 13$/);
    assert.match(p.messageHi, /14 अंक/);
    assert.match(p.messageHi, /इसमें 13 हैं/);
    refused(parseAbhaNumber('911234567890123'), /this has 15$/);
    refused(parseAbhaNumber('1234'), /this has 4$/);
  });
  test('letters and other characters are named', () => {
    refused(parseAbhaNumber('91-1234-5678-90l2'), /only digits.*remove "l"/);
    refused(parseAbhaNumber('91/1234/5678/9012'), /remove "\/"/);
    refused(parseAbhaNumber('ABHA 91-1234-5678-9012'), /remove "A", "B", "H"/);
  });
  test('wrong grouping is refused with the right grouping shown', () => {
    for (const text of ['9-11234-5678-9012', '911-234-5678-9012', '9112-3456-7890-12', '91-12345678-9012', '91 1234 56789 012']) {
      refused(parseAbhaNumber(text), /grouped 2-4-4-4, like 91-1234-5678-9012/);
    }
  });
  test('an ABHA address or nothing at all gets its own message', () => {
    refused(parseAbhaNumber('ramesh.kumar@abdm'), /looks like an ABHA address/);
    refused(parseAbhaNumber('   '), /^Enter the 14-digit ABHA number/);
  });
});

describe('parseAbhaAddress', () => {
  test('adds @abdm, lower-cases and trims', () => {
    assert.deepEqual(parseAbhaAddress('Ramesh.Kumar'), { ok: true, address: 'ramesh.kumar@abdm' });
    assert.deepEqual(parseAbhaAddress('  RAMESH_1990@ABDM '), { ok: true, address: 'ramesh_1990@abdm' });
    assert.deepEqual(parseAbhaAddress('sunita.devi_85'), { ok: true, address: 'sunita.devi_85@abdm' });
    assert.deepEqual(parseAbhaAddress('ram.k_2024@abdm'), { ok: true, address: 'ram.k_2024@abdm' });
  });
  test('keeps the legacy sandbox @sbx as it is', () => {
    assert.deepEqual(parseAbhaAddress('testuser01@sbx'), { ok: true, address: 'testuser01@sbx' });
  });
  test('8 and 18 characters are the limits', () => {
    assert.equal(parseAbhaAddress('abcdefgh').ok, true);
    assert.equal(parseAbhaAddress('abcdefghijklmnopqr').ok, true);
    const short = refused(parseAbhaAddress('ramesh1'), /8 to 18 characters before @abdm; this has 7, so add letters or digits/);
    assert.match(short.messageHi, /इसमें 7 हैं/);
    refused(parseAbhaAddress('abcdefghijklmnopqrs@abdm'), /this has 19, so shorten it/);
  });
  test('digits are allowed, but not only digits', () => {
    assert.equal(parseAbhaAddress('1990ramesh').ok, true);
    refused(parseAbhaAddress('12345678'), /cannot be only digits; add letters/);
    refused(parseAbhaAddress('91123456789012@abdm'), /cannot be only digits/);
  });
  test('at most one dot and one underscore, never at the start or end', () => {
    assert.equal(parseAbhaAddress('ramesh.k_umar').ok, true);
    assert.equal(parseAbhaAddress('ramesh._kumar').ok, true);
    refused(parseAbhaAddress('ram.esh.kumar'), /at most one dot.*this has 2 dots and 0 underscores/);
    refused(parseAbhaAddress('ram_esh_kumar'), /this has 0 dots and 2 underscores/);
    refused(parseAbhaAddress('.rameshkumar'), /cannot start or end with a dot or underscore/);
    refused(parseAbhaAddress('rameshkumar_'), /cannot start or end/);
    refused(parseAbhaAddress('rameshkumar.@abdm'), /cannot start or end/);
  });
  test('other characters are named', () => {
    refused(parseAbhaAddress('ramesh-kumar'), /only English letters, digits, one dot \(\.\) and one underscore \(_\).*remove "-"/);
    refused(parseAbhaAddress('रमेशकुमार@abdm'), /remove "र"/);
    refused(parseAbhaAddress('ramesh kumar'), /no spaces/);
  });
  test('any other domain is refused, e-mail addresses included', () => {
    refused(parseAbhaAddress('ramesh.kumar@gmail.com'), /ends in @abdm.*"@gmail\.com" is not an ABHA address/);
    refused(parseAbhaAddress('ramesh.kumar@ndhm'), /"@ndhm"/);
    refused(parseAbhaAddress('ramesh@kumar@abdm'), /only one @.*this has 2/);
    refused(parseAbhaAddress('@abdm'), /Write the name part before @abdm/);
    refused(parseAbhaAddress(''), /^Enter the ABHA address/);
  });
});

describe('checkAadhaar', () => {
  const number = synthAadhaar('23412341234');

  test('a synthetic number with a Verhoeff check digit passes, and only its last four digits come back', () => {
    const r = checkAadhaar(number);
    assert.deepEqual(r, { ok: true, last4: number.slice(-4) });
    assert.deepEqual(Object.keys(r).sort(), ['last4', 'ok']);
  });
  test('spaces and hyphens between groups are fine', () => {
    const spaced = `${number.slice(0, 4)} ${number.slice(4, 8)} ${number.slice(8)}`;
    for (const text of [spaced, spaced.replace(/ /g, '-'), ` ${spaced} `]) {
      assert.deepEqual(checkAadhaar(text), { ok: true, last4: number.slice(-4) }, text);
    }
  });
  test('many synthetic numbers pass; the same numbers with a changed last digit fail', () => {
    const random = seeded(3);
    for (let n = 0; n < 100; n++) {
      const base = String(2 + Math.floor(random() * 8)) + String(Math.floor(random() * 1e10)).padStart(10, '0');
      const good = synthAadhaar(base);
      assert.equal(checkAadhaar(good).ok, true, good);
      const bad = base + ((Number(good[11]) + 1) % 10);
      refused(checkAadhaar(bad), /not a valid Aadhaar number/);
    }
  });
  test('a swapped pair of digits is caught', () => {
    const swapped = number.slice(0, 5) + number[6] + number[5] + number.slice(7);
    assert.notEqual(swapped, number);
    refused(checkAadhaar(swapped), /mistyped or swapped digit/);
  });
  test('first digit 0 or 1 is refused', () => {
    refused(checkAadhaar(synthAadhaar('03412341234')), /never start with 0 or 1/);
    refused(checkAadhaar(synthAadhaar('13412341234')), /never start with 0 or 1/);
  });
  test('wrong length, letters, a 16-digit VID and nothing at all', () => {
    refused(checkAadhaar(number.slice(0, 11)), /Aadhaar number has 12 digits; this has 11 digits/);
    refused(checkAadhaar(`${number}5`), /this has 13 digits/);
    refused(checkAadhaar(`${number}5678`), /Virtual ID/);
    refused(checkAadhaar('2341 2341 234O'), /remove "O"/);
    refused(checkAadhaar(''), /^Enter the 12-digit Aadhaar number/);
  });
  test('messages never repeat the number', () => {
    const wrong = number.slice(0, 11) + ((Number(number[11]) + 1) % 10);
    for (const text of [wrong, number.slice(0, 11), `${number}9`, `${number}x`]) {
      const p = refused(checkAadhaar(text), /./);
      for (const digits of [wrong, number.slice(0, 11), number.slice(0, 8), number.slice(4)]) {
        assert.ok(!p.message.includes(digits) && !p.messageHi.includes(digits), p.message);
      }
    }
  });
});

describe('maskAadhaar', () => {
  test('shows only the last four digits', () => {
    assert.equal(maskAadhaar('1234'), 'XXXX-XXXX-1234');
    assert.equal(maskAadhaar('0007'), 'XXXX-XXXX-0007');
  });
  test('given more than four digits by mistake, still shows only the last four', () => {
    const number = synthAadhaar('23412341234');
    assert.equal(maskAadhaar(number), `XXXX-XXXX-${number.slice(-4)}`);
  });
  test('fewer than four digits is a programming error', () => {
    assert.throws(() => maskAadhaar('123'), RangeError);
    assert.throws(() => maskAadhaar(''), RangeError);
  });
});

describe('pregnancy registration numbers', () => {
  test('new numbers have 12 digits, no leading 0, and a valid Luhn check digit', () => {
    const random = seeded(2024);
    const seen = new Set<string>();
    for (let n = 0; n < 500; n++) {
      const id = newPregnancyRegistrationNumber(random);
      assert.match(id, /^[1-9]\d{11}$/);
      assert.equal(luhnValid(id), true, id);
      assert.equal(validPregnancyRegistrationNumber(id), true, id);
      seen.add(id);
    }
    assert.equal(seen.size, 500);
  });
  test('extreme random values still give 12 digits with a non-zero first digit', () => {
    assert.equal(newPregnancyRegistrationNumber(() => 0), '100000000008');
    const high = newPregnancyRegistrationNumber(() => 0.9999999999);
    assert.match(high, /^99999999999\d$/);
    assert.match(newPregnancyRegistrationNumber(() => 1), /^99999999999\d$/);
    assert.equal(validPregnancyRegistrationNumber(high), true);
  });
  test('the default source of randomness works', () => {
    assert.equal(validPregnancyRegistrationNumber(newPregnancyRegistrationNumber()), true);
  });
  test('wrong check digit, wrong length or other characters are not valid', () => {
    const id = newPregnancyRegistrationNumber(seeded(5));
    assert.equal(validPregnancyRegistrationNumber(id.slice(0, 11) + ((Number(id[11]) + 1) % 10)), false);
    assert.equal(validPregnancyRegistrationNumber(id.slice(0, 11)), false);
    assert.equal(validPregnancyRegistrationNumber(`${id}0`), false);
    assert.equal(validPregnancyRegistrationNumber(`${id.slice(0, 6)}-${id.slice(6)}`), false);
    assert.equal(validPregnancyRegistrationNumber(''), false);
  });
});

describe('normaliseMobile', () => {
  test('accepts ten digits with or without +91, 91, 0091 or 0 in front, spaces and hyphens', () => {
    for (const text of ['9876543210', '98765 43210', '98765-43210', '+91 98765 43210', '+91-9876543210', '+919876543210',
      '919876543210', '09876543210', '0091 98765 43210', ' 987 654 3210 ', '९८७६५४३२१०']) {
      assert.deepEqual(normaliseMobile(text), { ok: true, mobile: '9876543210' }, text);
    }
  });
  test('every mobile series 6 to 9 is accepted', () => {
    for (const first of ['6', '7', '8', '9']) assert.equal(normaliseMobile(`${first}123456789`).ok, true);
  });
  test('a ten-digit number that happens to start with 91 is kept whole', () => {
    assert.deepEqual(normaliseMobile('9198765432'), { ok: true, mobile: '9198765432' });
  });
  test('numbers that cannot be Indian mobiles are refused with a reason', () => {
    refused(normaliseMobile('5876543210'), /start with 6, 7, 8 or 9; this starts with 5/);
    refused(normaliseMobile('0172 270 1234'), /start with 6, 7, 8 or 9; this starts with 1/);
    refused(normaliseMobile('987654321'), /Mobile number has 10 digits, like 98765 43210; this has 9 digits/);
    refused(normaliseMobile('+91 98765 432109'), /this has 11 digits/);
    refused(normaliseMobile('+1 415 555 0100'), /Only Indian mobile numbers \(\+91\)/);
    refused(normaliseMobile('98765 4321O'), /only digits.*remove "O"/);
    refused(normaliseMobile('(98765) 43210'), /remove "\(", "\)"/);
    refused(normaliseMobile(''), /^Enter a 10-digit mobile number/);
  });
});
