export { inTurn } from './file-turns.js';
export { type ReplaceFileOptions, replaceFile, syncDirectory } from './replace-file.js';
