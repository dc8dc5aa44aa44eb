// Ticket editing, the new-ticket form, merging and linking, message labels. Same keys in both languages: `en` is typed from `zh`.

const zh = {};

const en: typeof zh = {};

export const deskExtraText = { zh, en };
