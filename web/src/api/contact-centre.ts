// Contact-centre wallboard and settings (src/contracts/contact-centre.ts).
import type { z } from 'zod';
import type { ContactCentreSettingsView, WallboardView } from '../../../src/contracts/contact-centre';
import { get, put, query } from './client';

export type Wallboard = z.output<typeof WallboardView>;
export type ContactCentreSettings = z.output<typeof ContactCentreSettingsView>;

const base = '/api/v1/contact-centre';

export const contactCentreApi = {
  wallboard: (p: { day?: string; queue?: string }) => get<Wallboard>(`${base}/wallboard${query(p)}`),
  settings: () => get<ContactCentreSettings>(`${base}/settings`),
  saveSettings: (body: Partial<ContactCentreSettings>) => put<ContactCentreSettings>(`${base}/settings`, body),
};
