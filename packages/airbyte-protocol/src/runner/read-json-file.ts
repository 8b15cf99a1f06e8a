import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors/index.js';

/** Reads a JSON argument file with an error message that says which file and what is wrong. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `cannot read the ${what} file ${path}: ${code === 'ENOENT' ? 'no such file' : String(err)}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`the ${what} file ${path} is not valid JSON: ${(err as Error).message}`);
  }
}
