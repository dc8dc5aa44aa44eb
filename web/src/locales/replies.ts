// Managed replies and macros. Same keys in both languages: `en` is typed from `zh`.

const zh = {};

const en: typeof zh = {};

export const repliesText = { zh, en };
