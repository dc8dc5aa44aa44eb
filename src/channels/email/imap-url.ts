// Where the IMAP poller reads mail, as configured in one URL.

export type ImapMailbox = {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  /** Folder polled for new mail (INBOX by default). */
  mailbox: string;
};

/** Reads `imap[s]://user:password@host[:port]/Folder` (user and password URL-encoded). */
export function parseImapUrl(url: string): ImapMailbox {
  const u = new URL(url);
  const secure = u.protocol === 'imaps:';
  if (!secure && u.protocol !== 'imap:') throw new Error('must be an imap:// or imaps:// URL');
  if (!u.username) throw new Error('must name the mailbox user, as imaps://user:password@host/INBOX');
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    mailbox: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX',
  };
}
