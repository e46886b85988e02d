export { type ReplaceFileOptions, replaceFile, syncDirectory } from './replace-file.js';
