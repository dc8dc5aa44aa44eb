// The chat's system lines (who accepted, where it went, the ticket, the end, an end for inactivity), worded from the
// message's kind in the reader's language, for the portal and the desk alike.

const zh = {
  chatSystem: {
    accepted: '{{name}} 已接入会话',
    transferred: '会话已转给 {{name}}',
    ticket: '已为您创建工单 {{number}}，我们会继续跟进',
    ended: '会话已结束',
    abandoned: '排队等候期间长时间无应答，会话已自动结束',
    timed_out: '长时间未收到回复，会话已自动结束',
  },
};

const en: typeof zh = {
  chatSystem: {
    accepted: '{{name}} joined the chat',
    transferred: 'The chat was passed to {{name}}',
    ticket: 'Ticket {{number}} was opened; we will follow it up',
    ended: 'The chat has ended',
    abandoned: 'No activity while waiting in the queue; the chat was closed automatically',
    timed_out: 'No reply for a while; the chat was closed automatically',
  },
};

export const chatSystemText = { zh, en };
