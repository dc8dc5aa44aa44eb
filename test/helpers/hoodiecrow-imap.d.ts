// hoodiecrow-imap ships no types: the little of it the IMAP tests use.
declare module 'hoodiecrow-imap' {
  import type { Server } from 'node:net';

  type Folder = {
    messages?: { raw: string; flags?: string[]; uid?: number }[];
    folders?: Record<string, Folder>;
    separator?: string;
  };
  type Mailbox = { messages: { raw: string; flags: string[]; uid: number }[] };

  export interface IMAPServer {
    server: Server;
    listen(port: number, host: string, callback: () => void): void;
    close(callback?: () => void): void;
    /** Raw is a binary string (one char per byte). */
    appendMessage(mailbox: string, flags: string[], internaldate: Date | false, raw: string): void;
    getMailbox(path: string): Mailbox | undefined;
  }

  export default function hoodiecrow(options: {
    plugins?: string[];
    storage?: Record<string, Folder>;
    users?: Record<string, { password: string }>;
    debug?: boolean;
  }): IMAPServer;
}
