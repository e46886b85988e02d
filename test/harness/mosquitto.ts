import { execFile } from 'node:child_process';

export interface MosquittoPubOptions {
  port: number;
  username: string;
  password: string;
  topic: string;
  message: string;
  qos?: 0 | 1 | 2;
}

export interface MosquittoPubResult {
  /** mosquitto_pub's exit status: 0 once the broker acknowledged (-q 1: PUBACK), a libmosquitto error otherwise. */
  code: number;
  stdout: string;
  stderr: string;
}

/** Debian's mosquitto_pub, as in the README's "Publishing by hand"; resolves with its exit status, never throws on one. */
export function mosquittoPub(options: MosquittoPubOptions): Promise<MosquittoPubResult> {
  const args = [
    ['-h', '127.0.0.1'],
    ['-p', String(options.port)],
    ['-u', options.username],
    ['-P', options.password],
    ['-q', String(options.qos ?? 1)],
    ['-t', options.topic],
    ['-m', options.message],
  ].flat();
  return new Promise((resolve, reject) => {
    execFile('mosquitto_pub', args, { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error === null) return resolve({ code: 0, stdout, stderr });
      if (typeof error.code === 'number') return resolve({ code: error.code, stdout, stderr });
      reject(error);
    });
  });
}
