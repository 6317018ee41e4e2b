/**
 * Password hashing (issue #2): argon2id with the OWASP parameters, computed off the event loop so
 * that one sign-in never stalls the requests of others.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashPassword, PasswordVerifier, verifyPassword } from '../src/crypto/password.js';

describe('password hashing', () => {
  test('argon2id, m=19456 KiB, t=2, p=1, with a fresh salt each time', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    assert.match(first, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[\w+/]{22}\$[\w+/]{43}$/);
    assert.notEqual(first, second);
    assert.equal(await verifyPassword(first, 'correct horse battery staple'), true);
    assert.equal(await verifyPassword(first, 'correct horse battery stapler'), false);
    assert.equal(await verifyPassword('not a hash', 'anything'), false);
  });

  test('hashes run off the event loop: timers keep firing while they are computed', async () => {
    // A hash computed on the event loop would finish before any timer could run; on the thread
    // pool the loop stays free, so timers fire while the hashes are still being computed.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const hashing = Promise.all(Array.from({ length: 4 }, (_, i) => hashPassword(`pw-${i}`)));
      const ticksWhenStarted = ticks;
      await hashing;
      assert.ok(ticks - ticksWhenStarted >= 2, `timers fired ${ticks - ticksWhenStarted} times`);
    } finally {
      clearInterval(timer);
    }
  });

  test('a verifier runs at most its concurrency at once; the others wait', async () => {
    const hash = await hashPassword('right');
    const verifier = new PasswordVerifier(2);
    const guesses = ['right', 'wrong', 'right', 'wrong', 'right'];
    const answers = Promise.all(guesses.map((guess) => verifier.verify(hash, guess)));
    assert.equal(verifier.running, 2);
    assert.equal(verifier.waiting, 3);
    assert.deepEqual(await answers, [true, false, true, false, true]);
    assert.equal(verifier.running, 0);
    assert.equal(verifier.waiting, 0);
  });

  test('with concurrency 1, one at a time; a malformed hash frees its turn', async () => {
    const hash = await hashPassword('right');
    const verifier = new PasswordVerifier(1);
    const first = verifier.verify('not a hash', 'right');
    const second = verifier.verify(hash, 'right');
    assert.equal(verifier.running, 1);
    assert.equal(verifier.waiting, 1);
    assert.deepEqual(await Promise.all([first, second]), [false, true]);
    assert.equal(verifier.running, 0);
  });
});
