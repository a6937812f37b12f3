import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'boards');
export const REPO = join(__dirname, '..', '..', '..');
