// The virtual serial cable lives with the device emulators (`fieldstation simulate --serial` uses it too).
export { type PtyPair, startPtyPair } from '../../emulators/pty-pair.js';
