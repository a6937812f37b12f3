// The bundled boards (boards/*.json), compiled into the bundles so the server needs no files.
import imx8mmEvk from '../../../boards/imx8mm-evk.json';
import imx8mpEvk from '../../../boards/imx8mp-evk.json';
import k3Am625Sk from '../../../boards/k3-am625-sk.json';
import orangepiZero from '../../../boards/orangepi-zero.json';
import qemuArm64Virt from '../../../boards/qemu-arm64-virt.json';
import qemuX86Q35 from '../../../boards/qemu-x86-q35.json';
import rpi4 from '../../../boards/rpi4.json';
import zynqmpZcu102 from '../../../boards/zynqmp-zcu102.json';
import { boardFromJson } from './json';
import type { Board } from './types';

const RAW: unknown[] = [qemuArm64Virt, qemuX86Q35, rpi4, imx8mmEvk, imx8mpEvk, k3Am625Sk, zynqmpZcu102, orangepiZero];

let cache: Board[] | undefined;

/** All bundled boards, validated (a broken bundled file is a build bug: the unit tests load each). */
export function bundledBoards(): Board[] {
  cache ??= RAW.map((j, i) => boardFromJson(j, `bundled board #${i}`));
  return cache;
}

export function bundledBoard(id: string): Board | undefined {
  return bundledBoards().find((b) => b.id === id);
}

export function bundledBoardIds(): string[] {
  return bundledBoards().map((b) => b.id);
}
