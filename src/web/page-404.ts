// The 404 page: static text, put into the reader's language like every other page.
import { startI18n, useMessages } from './i18n/index.js';
import { notFound as en } from './i18n/en.js';

useMessages({ notFound: en });
startI18n();
