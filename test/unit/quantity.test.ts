import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  QUANTITY_FORMAT_MESSAGE, QUANTITY_SUFFIX_MESSAGE, parseQuantity, parseQuantityMilli, quantityError, quantityValue,
} from '../../src/apimachinery/quantity.ts';

describe('parseQuantity', () => {
  const cases: Array<[string, number]> = [
    ['100m', 0.1],
    ['1Gi', 1073741824],
    ['2', 2],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1e-3', 0.001],
    ['500Ki', 512000],
    ['1.5', 1.5],
    ['1.5Gi', 1610612736],
    ['0', 0],
    ['-1', -1],
    ['+5', 5],
    ['1k', 1000],
    ['1M', 1e6],
    ['2G', 2e9],
    ['1T', 1e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1Mi', 1048576],
    ['1Ti', 2 ** 40],
    ['250u', 0.00025],
    ['5n', 5e-9],
    ['.5', 0.5],
    ['1.', 1],
    ['007', 7],
  ];
  for (const [s, want] of cases) {
    test(`${s} → ${want}`, () => assert.equal(parseQuantity(s), want));
  }
});

describe('parseQuantity rejects with upstream messages', () => {
  const cases: Array<[string, string]> = [
    ['', QUANTITY_FORMAT_MESSAGE],
    ['abc', QUANTITY_FORMAT_MESSAGE],
    ['1.5.5', QUANTITY_FORMAT_MESSAGE],
    ['5 Gi', QUANTITY_FORMAT_MESSAGE],
    ['1x', QUANTITY_FORMAT_MESSAGE],
    ['1Gi1x', QUANTITY_FORMAT_MESSAGE],
    ['1K', QUANTITY_SUFFIX_MESSAGE],
    ['1mi', QUANTITY_SUFFIX_MESSAGE],
    ['1e', QUANTITY_SUFFIX_MESSAGE],
    ['1-', QUANTITY_SUFFIX_MESSAGE],
  ];
  for (const [s, message] of cases) {
    test(JSON.stringify(s), () => {
      assert.throws(() => parseQuantity(s), { message });
      assert.equal(quantityError(s), message);
    });
  }

  test('the format message is the exact upstream text', () => {
    assert.equal(QUANTITY_FORMAT_MESSAGE, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    assert.equal(quantityError('1Gi'), undefined);
  });
});

describe('MilliValue and Value round up as upstream', () => {
  const milli: Array<[string, number]> = [['250m', 250], ['1', 1000], ['0.1', 100], ['1.0001m', 2], ['2.5', 2500]];
  for (const [s, want] of milli) test(`milli ${s} → ${want}`, () => assert.equal(parseQuantityMilli(s), want));
  const value: Array<[string, number]> = [['100m', 1], ['1Gi', 1073741824], ['1.5', 2], ['3', 3]];
  for (const [s, want] of value) test(`value ${s} → ${want}`, () => assert.equal(quantityValue(s), want));
});
