// What the SVG does for labels: a cut label carries the whole text as its tooltip, and region
// labels are drawn after the conflict marks, so a translucent mark never lies over the text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderSvg } from '../../../server/src/map/svg';
import { analysis, cellModel, checkedMap, irqchip, R, region, systemModel, W } from './build';

const MiB = 1n << 20n;
const LONG = 'a cell whose name is far too long for the grid';

function system() {
  const root = systemModel({
    file: '/s/root.c',
    name: 'board',
    cpus: [0x3n],
    hypervisor: [0x7fc00000n, 4n * MiB],
    regions: [region('/s/root.c', 0x40000000n, 256n * MiB, R | W, 'RAM'), region('/s/root.c', 0x1c000000n, 0x1000n, R | W, 'a UART with a long name')],
    irqchips: [irqchip('/s/root.c', 0x2f000000n, 32n, [0xffffffffn, 0n, 0n, 0n])],
  });
  const cell = cellModel({
    file: '/s/cell.c',
    name: LONG,
    cpus: [0x2n],
    regions: [region('/s/cell.c', 0x48000000n, 16n * MiB, R | W, 'cell RAM'), region('/s/cell.c', 0x7fe00000n, MiB, R | W, 'scratch')],
    irqchips: [irqchip('/s/cell.c', 0x2f000000n, 32n, [0x2n, 0n, 0n, 0n])],
  });
  return { root: analysis(root), cells: [analysis(cell)] };
}

describe('memory map SVG labels', () => {
  const svg = renderSvg(checkedMap(system()));

  it('gives every cut label its whole text as a tooltip, and marks it so it takes the pointer', () => {
    const cut = [...svg.matchAll(/<text class="([^"]*)"[^>]*>([^<]*)(<title>([^<]*)<\/title>)?<\/text>/g)].filter((m) => m[2].endsWith('…'));
    assert.ok(cut.length >= 2, `cut labels: ${cut.map((m) => m[2])}`);
    for (const [, cls, shown, , title] of cut) {
      if (cls === 'lane-label') continue;
      assert.ok(cls.split(' ').includes('clipped'), `${shown} is marked cut`);
      assert.ok(title && title.startsWith(shown.slice(0, -1)), `${shown} has the whole text: ${title}`);
    }
    assert.ok(cut.some((m) => m[1].startsWith('rl rl-name') && m[4] === 'a UART with a long name'), 'a region name');
    assert.ok(cut.some((m) => m[1].startsWith('grid-label') && m[4] === LONG), 'a cell name in a grid');
    assert.ok(!/<text class="[^"]*clipped[^"]*"[^>]*>[^<]*[^…<]<title>/.test(svg), 'whole labels are not marked cut');
  });

  it('draws region labels above the conflict marks, tied to their region', () => {
    const lastMark = svg.lastIndexOf('<g class="conflict-g"');
    assert.ok(lastMark > 0, 'the scratch buffer in hypervisor memory is marked');
    assert.ok(svg.indexOf('<g class="labels">') > lastMark, 'labels after the last conflict mark');
    assert.match(svg.slice(svg.indexOf('<g class="labels">')), /<text class="rl rl-name" data-ref="r\d+"[^>]*>scratch<\/text>/);
    const ram = /<text class="rl rl-name" data-ref="(r\d+)"[^>]*>cell RAM<\/text>/.exec(svg);
    assert.ok(ram, 'cell RAM labelled');
    assert.ok(svg.includes(`<g class="region-g" data-ref="${ram[1]}"`), 'the label names its region');
  });
});
