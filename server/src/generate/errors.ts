// A board or an option the generators cannot turn into a config: the message says what is
// missing or wrong, in the user's terms (the CLI prints it and exits 1; the wizards show it).
export class GenerateError extends Error {
  // Recognised by name: the CLI bundles each command with its own copy of this class.
  override readonly name = 'GenerateError';
}

export function isGenerateError(e: unknown): e is GenerateError {
  return e instanceof Error && e.name === 'GenerateError';
}
