// The notifications inbox and its unread count. Same keys in both languages: `en` is typed from `zh`.

const zh = {};

const en: typeof zh = {};

export const notificationsText = { zh, en };
