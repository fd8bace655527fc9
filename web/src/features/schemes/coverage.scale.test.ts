import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classOf, colourOf, COLOURS, NO_REGISTER } from './coverage.scale.ts';

test('coverage classes: fixed fifths, a bound belongs to the class above, 100% to the last', () => {
  assert.deepEqual([0, 0.1999, 0.2, 0.5, 0.6, 0.7999, 0.8, 1].map(classOf), [0, 0, 1, 2, 3, 3, 4, 4]);
});

test('a unit whose register has no families is grey, not 0%; one with no figures too', () => {
  assert.deepEqual(colourOf({ families: 0, coverage: 0 }), { colour: NO_REGISTER, klass: 'none' });
  assert.deepEqual(colourOf(undefined), { colour: NO_REGISTER, klass: 'none' });
  assert.deepEqual(colourOf({ families: 2, coverage: 0 }), { colour: COLOURS[0], klass: 'c0' });
  assert.deepEqual(colourOf({ families: 2, coverage: 0.5 }), { colour: COLOURS[2], klass: 'c2' });
});
