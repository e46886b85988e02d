import type { SentenceDecoder } from './decoded.js';
import { decodeGga } from './gga.js';
import { decodeMda } from './mda.js';
import { decodeMwv } from './mwv.js';
import { decodeRmc } from './rmc.js';
import { decodeXdr } from './xdr.js';
import { decodeZda } from './zda.js';

export type { DecodedSentence, SentenceFault } from './decoded.js';

/** The sentences this driver reads, by formatter; every other sentence a talker sends is passed over. */
export const DECODERS: Readonly<Record<string, SentenceDecoder>> = {
  GGA: decodeGga,
  MDA: decodeMda,
  MWV: decodeMwv,
  RMC: decodeRmc,
  XDR: decodeXdr,
  ZDA: decodeZda,
};
