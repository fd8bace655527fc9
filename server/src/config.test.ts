import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  test('defaults when nothing is set', () => {
    const c = loadConfig({});
    assert.equal(c.port, 8080);
    assert.equal(c.host, '127.0.0.1');
    assert.match(c.dataDir, /\/data$/);
    assert.equal(c.databaseUrl, null);
    assert.equal(c.adminPassword, null);
    assert.equal(c.demo, true);
    assert.ok(Object.isFrozen(c));
  });

  test('reads every variable', () => {
    const c = loadConfig({ PORT: '9000', HOST: '0.0.0.0', SWASTHYA_DATA_DIR: '/tmp/x', DATABASE_URL: 'postgres://u@h/db', SWASTHYA_ADMIN_PASSWORD: 'long-enough-1', SWASTHYA_DEMO: '0' });
    assert.deepEqual([c.port, c.host, c.dataDir, c.databaseUrl, c.adminPassword, c.demo], [9000, '0.0.0.0', '/tmp/x', 'postgres://u@h/db', 'long-enough-1', false]);
  });

  test('names every bad variable in one error', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SWASTHYA_DEMO: 'maybe', SWASTHYA_ADMIN_PASSWORD: 'short' });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ConfigError);
    const text = (err as ConfigError).message;
    for (const name of ['PORT', 'DATABASE_URL', 'SWASTHYA_DEMO', 'SWASTHYA_ADMIN_PASSWORD']) assert.match(text, new RegExp(name));
    assert.equal((err as ConfigError).problems.length, 4);
  });

  test('SWASTHYA_TILE_URL: none by default (outlines only); an http(s) address with {z}, {x} and {y}', () => {
    assert.equal(loadConfig({}).tileUrl, null);
    const c = loadConfig({ SWASTHYA_TILE_URL: 'https://tiles.example.in/{z}/{x}/{y}.png', SWASTHYA_TILE_ATTRIBUTION: '© State GIS' });
    assert.deepEqual([c.tileUrl, c.tileAttribution], ['https://tiles.example.in/{z}/{x}/{y}.png', '© State GIS']);
    for (const bad of ['tiles.example.in/{z}/{x}/{y}.png', 'https://tiles.example.in/tiles.png', 'ftp://x/{z}/{x}/{y}']) {
      assert.throws(() => loadConfig({ SWASTHYA_TILE_URL: bad }), (e: unknown) => e instanceof ConfigError && /SWASTHYA_TILE_URL/.test(e.message), bad);
    }
  });

  test('SWASTHYA_TRUST_PROXY: none by default, a number of proxies or their addresses, never everyone', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ SWASTHYA_TRUST_PROXY: '1' }).trustProxy, 1);
    assert.equal(loadConfig({ SWASTHYA_TRUST_PROXY: '10.0.0.5, 10.0.1.0/24,loopback,fd00::/8' }).trustProxy, '10.0.0.5,10.0.1.0/24,loopback,fd00::/8');
    for (const bad of ['true', '*', '10.0.0.300', '10.0.0.0/33', '99']) {
      assert.throws(() => loadConfig({ SWASTHYA_TRUST_PROXY: bad }), /SWASTHYA_TRUST_PROXY=.* must be the number of proxies in front/, bad);
    }
  });

  test('SWASTHYA_ADMIN_PASSWORD follows the password rules: 10 characters, not a common password', () => {
    assert.throws(() => loadConfig({ SWASTHYA_ADMIN_PASSWORD: '12345678' }), /SWASTHYA_ADMIN_PASSWORD: must have at least 10 characters/);
    assert.throws(() => loadConfig({ SWASTHYA_ADMIN_PASSWORD: 'Password123' }), /SWASTHYA_ADMIN_PASSWORD: is one of the most common passwords; choose another/);
    assert.equal(loadConfig({ SWASTHYA_ADMIN_PASSWORD: 'Tulsi-Ghat-Morning' }).adminPassword, 'Tulsi-Ghat-Morning');
  });
});
