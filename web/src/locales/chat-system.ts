// The chat's system lines (who accepted, where it went, the ticket, the end), worded from the
// message's kind in the reader's language, for the portal and the desk alike.

const zh = {
  chatSystem: {
    accepted: '{{name}} 已接入会话',
    transferred: '会话已转给 {{name}}',
    ticket: '已为您创建工单 {{number}}，我们会继续跟进',
    ended: '会话已结束',
  },
};

const en: typeof zh = {
  chatSystem: {
    accepted: '{{name}} joined the chat',
    transferred: 'The chat was passed to {{name}}',
    ticket: 'Ticket {{number}} was opened; we will follow it up',
    ended: 'The chat has ended',
  },
};

export const chatSystemText = { zh, en };
