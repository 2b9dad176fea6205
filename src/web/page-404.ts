// The 404 page: static text, put into the reader's language like every other page.
import { startI18n, useMessages } from './i18n/index.js';
import { notFound as en } from './i18n/en.js';
import { notFound as de } from './i18n/de.js';
import { notFound as ja } from './i18n/ja.js';

useMessages({ en: { notFound: en }, de: { notFound: de }, ja: { notFound: ja } });
startI18n();
