/** PERSONAL_DATA_ENCRYPTION=off npm run bench: the figures without encryption at rest, to compare (ADR 23). */
export const encryptionSetting = (): Record<string, string> => ({ PERSONAL_DATA_ENCRYPTION: process.env['PERSONAL_DATA_ENCRYPTION'] ?? '' });
