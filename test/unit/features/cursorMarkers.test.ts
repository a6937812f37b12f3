// The cursor-marker helper the feature tests use to say where the cursor stands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cursorIn, cursors, cursorsIn, positionIn, positionsIn } from '../../support/cursor';

test('markers come out of the text and give their offsets, in number order', () => {
  assert.deepEqual(cursors('a = $10x$0;'), { text: 'a = 0x;', offsets: [6, 4] });
  assert.deepEqual(cursors('$0'), { text: '', offsets: [0] });
  assert.throws(() => cursors('plain'), /no cursor marker/);
  assert.throws(() => cursors('$1 only'), /cursor \$0 missing/);
  assert.throws(() => cursors('$0 and $0'), /given twice/);
});

test('a marked piece is found in the text once, or the test is told to say more', () => {
  const text = '.flags = A,\n.flags = B,\n';
  assert.equal(cursorIn(text, '.flags = $0B'), 21);
  assert.deepEqual(cursorsIn(text, '$0.flags = B$1'), [12, 22]);
  assert.deepEqual(positionIn(text, '.fl$0ags = B'), { line: 1, character: 3 });
  assert.deepEqual(positionsIn(text, 'A,\n$0.f$1'), [{ line: 1, character: 0 }, { line: 1, character: 2 }]);
  assert.throws(() => cursorIn(text, '.flags$0'), /more than once/);
  assert.throws(() => cursorIn(text, '.flags = $0C'), /not in the text/);
  assert.throws(() => cursorIn(text, '$0.flags = B$1'), /one cursor/);
});
