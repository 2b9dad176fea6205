// Deutsch. Same keys as en.ts (the types make a missing or extra key a compile error).
import type * as En from './en.js';
import { plural } from './plural.js';
import { cap } from './de-words.js';

export const common: typeof En.common = {
  tag: 'Ende-zu-Ende-verschlüsselte Einmal-Geheimnisse',
  language: 'Sprache',
  copied: 'Kopiert ✓',
  pressCtrlC: 'Zum Kopieren Strg+C drücken',
  copiedAnnounce: (what) => `${what} in die Zwischenablage kopiert.`,
  selectedAnnounce: (what) => `${what} markiert: zum Kopieren Strg+C drücken.`,
  lessThanMinute: 'weniger als eine Minute',
  notAvailable:
    'Dieses Geheimnis ist nicht verfügbar. Es wurde bereits gelesen, ist abgelaufen, oder der Link ist unvollständig. Bitten Sie den Absender, ein neues zu teilen.',
  network: 'Der Hush-Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  aMinute: 'einer Minute',
  rateLimited: (wait) => `Zu viele Versuche aus Ihrem Netz. Versuchen Sie es in ${wait} erneut.`,
  wrongPassphrase: 'Falsche Passphrase.',
  wrongPassphraseLeft: (n) => `Falsche Passphrase. Noch ${plural(n, { one: '# Versuch', other: '# Versuche' })}, dann wird das Geheimnis vernichtet.`,
  wrongCodeLeft: (n) => `Falscher oder abgelaufener Code. Noch ${plural(n, { one: '# Versuch', other: '# Versuche' })}, dann wird das Geheimnis vernichtet.`,
  codeRequired: 'Nur vom Absender genannte Personen können dieses Geheimnis öffnen: Fordern Sie zuerst einen Code an Ihre E-Mail-Adresse an.',
  notYetAvailable: (when) => `Dieses Geheimnis lässt sich ab ${when} öffnen.`,
  badResponse: 'Der Server hat eine Antwort geschickt, die diese Seite nicht versteht. Versuchen Sie es später erneut.',
  expired: (when) => `Dieses Geheimnis ist am ${when} abgelaufen.`,
  unsupportedVersion: 'Dieses Geheimnis stammt von einer neueren Hush-Version. Öffnen Sie es mit einem aktuellen Hush.',
  invalidLink: 'Dieser Link ist unvollständig oder beschädigt. Kopieren Sie den ganzen Link, auch den Teil nach „#“, und öffnen Sie ihn erneut.',
  decryptionFailed: 'Dieses Geheimnis ließ sich nicht entschlüsseln: Der Link oder die Passphrase ist falsch, oder die Daten sind beschädigt.',
  unsafeParameters: 'Der Server hat Passphrase-Parameter geschickt, die diese Seite nicht verwendet. Bitten Sie den Absender um einen neuen Link.',
  somethingWrong: 'Etwas ist schiefgegangen. Laden Sie die Seite neu und versuchen Sie es erneut.',
};

// The create page's messages, the largest section, live in de-create.ts.
export { create } from './de-create.js';

export const open: typeof En.open = {
  title: 'Hush — ein Geheimnis für Sie',
  h1: 'Jemand hat ein Geheimnis mit Ihnen geteilt',
  passphrase: 'Passphrase',
  reveal: 'Geheimnis aufdecken',
  secretTitle: 'Das Geheimnis',
  secret: 'Geheimnis',
  copy: 'Geheimnis kopieren',
  own: 'Selbst ein Geheimnis teilen',
  decrypting: 'Entschlüssele…',
  checking: 'Prüfe die Passphrase…',
  enterPassphrase: 'Geben Sie die Passphrase ein, die Sie vom Absender bekommen haben.',
  files: 'Dateien',
  filesNote: 'Jede Datei wird genau so heruntergeladen, wie sie gesendet wurde; diese Seite öffnet sie nie. Öffnen Sie Dateien nur, wenn Sie dem Absender vertrauen.',
};

export const reveal: typeof En.reveal = {
  intro: 'Es ist verschlüsselt; der Schlüssel steht in Ihrem Link. Aufdecken entschlüsselt es in diesem Browser und löscht es vom Server – kopieren Sie es also an einen sicheren Ort.',
  passphraseHelp: 'Der Absender hat dieses Geheimnis mit einer Passphrase geschützt und sollte sie Ihnen auf anderem Weg gegeben haben.',
  expiresIn: (remaining) => `Läuft ab in ${remaining.replace(/\.$/, '')}.`, // „59 Min.“ already ends in a period
  once: 'Es lässt sich einmal öffnen.',
  moreTimes: (n) => `Es lässt sich noch ${plural(n, { one: '#-mal', other: '#-mal' })} öffnen.`,
  notBefore: (when) => `Der Absender hat es ab ${when} freigegeben; vorher lässt es sich nicht öffnen.`,
  deleted: 'Es ist jetzt vom Server gelöscht; nur diese Seite zeigt es noch. Kopieren Sie es, bevor Sie gehen.',
  moreWithLink: (n) => `Es lässt sich mit demselben Link noch ${plural(n, { one: '#-mal', other: '#-mal' })} öffnen.`,
  ageKey: 'Dieses Geheimnis ist mit Ihrem eigenen age-Schlüssel verschlüsselt: Öffnen Sie es mit „hush open --identity DATEI“.',
  combineLink: 'Zusammen mit den anderen Anteilen öffnen',
  shareKey: 'Dieser Link ist ein Anteil eines Geheimnisses, das auf mehrere Personen aufgeteilt wurde: Er lässt sich nur zusammen mit genügend weiteren Anteilen öffnen, mit „hush combine LINK…“. Es wurde nichts verbraucht.',
  badKey: 'Dieser Link ist unvollständig: Der Schlüssel nach „#“ fehlt oder ist beschädigt. Kopieren Sie den ganzen Link, den Sie bekommen haben, und öffnen Sie ihn erneut.',
  burned: 'Falsche Passphrase, und es waren keine Versuche mehr übrig: Das Geheimnis wurde vernichtet. Bitten Sie den Absender, es erneut zu teilen.',
  burnedCode: 'Falscher Code, und es waren keine Versuche mehr übrig: Das Geheimnis wurde vernichtet. Bitten Sie den Absender, es erneut zu teilen.',
  restricted: 'Nur vom Absender genannte Personen können dieses Geheimnis öffnen. Geben Sie Ihre E-Mail-Adresse ein: Hat der Absender sie genannt, wird ein Code an sie geschickt.',
  email: 'Ihre E-Mail-Adresse',
  sendCode: 'Code zusenden',
  sendNewCode: 'Neuen Code zusenden',
  sending: 'Wird gesendet…',
  codeSent: (address) => `Hat der Absender ${address} genannt, ist ein Code dorthin unterwegs. Das kann eine Minute dauern; sehen Sie auch im Spam-Ordner nach.`,
  enterEmail: 'Geben Sie Ihre E-Mail-Adresse ein.',
  signIn: 'Oder melden Sie sich hier mit der Adresse an, die der Absender genannt hat: Dann kommt der Code auf diese Seite (neuer Tab)',
  codeGiven: (address) => `Sie sind als ${address} angemeldet: Der Code ist eingetragen.`,
  code: 'Code aus der E-Mail',
  codeHelp: 'Sechs Ziffern, gültig für 10 Minuten und einmaliges Öffnen. Falsche Codes zählen: Nach 5 wird das Geheimnis vernichtet.',
  enterCode: 'Geben Sie den sechsstelligen Code aus der E-Mail ein.',
  leftDeleted:
    'Das Geheimnis wurde von dieser Seite entfernt, als Sie sie verlassen haben, und es ist vom Server gelöscht. Falls Sie es nicht kopiert haben, bitten Sie den Absender, es erneut zu teilen.',
  leftMore: (n) =>
    `Das Geheimnis wurde von dieser Seite entfernt, als Sie sie verlassen haben. Mit dem Link, den Sie bekommen haben, lässt es sich noch ${plural(n, { one: '#-mal', other: '#-mal' })} öffnen.`,
};

export const stateless: typeof En.stateless = {
  intro: 'Dies ist ein zustandsloser Link: Das verschlüsselte Geheimnis steckt im Link selbst. Diese Seite entschlüsselt es in Ihrem Browser und sendet nichts an den Server.',
  note: 'Ein zustandsloser Link lässt sich weder widerrufen noch auf einen Abruf begrenzen – wer den Link hat, kann ihn bis zum Ablauf öffnen –, und den Ablauf prüft Ihr Browser, kein Server.',
  passphraseHelp: 'Dieser Link öffnet sich nur mit der Passphrase, die Ihnen der Absender auf anderem Weg gegeben hat.',
  noExpiry: 'Dieser Link läuft nicht ab.',
  validFor: (remaining) => `Dieser Link gilt noch ${remaining}; wer ihn hat, kann ihn bis dahin öffnen.`,
  damaged: 'Dieser Link ist unvollständig oder beschädigt: Kopieren Sie den ganzen Link, auch den Teil nach „#“, und öffnen Sie ihn erneut.',
  wrong: 'Falsche Passphrase, oder der Link ist beschädigt. Prüfen Sie die Passphrase und versuchen Sie es erneut.',
  left: 'Das Geheimnis wurde von dieser Seite entfernt, als Sie sie verlassen haben. Öffnen Sie den Link erneut, um es zu lesen.',
};

export const manage: typeof En.manage = {
  title: 'Hush — Ihr geteiltes Geheimnis',
  h1: 'Ihr geteiltes Geheimnis',
  lead: 'Diese Seite ist für den Absender. Sie zeigt, ob das Geheimnis gelesen wurde, und Sie können es hier widerrufen. Das Geheimnis selbst kann sie nicht zeigen.',
  state: 'Zustand',
  opensFor: 'Öffnen dürfen',
  onlyNamed: 'Nur die von Ihnen genannten Personen, mit einem Code per E-Mail',
  viewsLeft: 'Verbleibende Abrufe',
  expires: 'Läuft ab',
  expired: 'Abgelaufen',
  keptUntil: 'Eintrag bleibt bis',
  live: 'Diese Seite aktualisiert sich selbst, solange das Geheimnis wartet.',
  revoke: 'Jetzt widerrufen',
  refresh: 'Aktualisieren',
  confirm: 'Dieses Geheimnis widerrufen? Sein Geheimtext wird sofort gelöscht und der Link funktioniert nicht mehr. Das lässt sich nicht rückgängig machen.',
  yes: 'Ja, widerrufen',
  no: 'Behalten',
  another: 'Noch ein Geheimnis teilen',
  revoking: 'Widerrufe…',
  pending: 'Wartet — noch nicht gelesen',
  consumed: 'Gelesen',
  expiredUnread: 'Ungelesen abgelaufen',
  revoked: 'Von Ihnen widerrufen',
  burned: 'Nach zu vielen falschen Passphrasen oder Codes vernichtet',
  openedLast: (when) => `Geöffnet, zuletzt am ${when}`,
  stateOn: (state, when) => `${state} am ${when}`,
  expiresIn: (when, remaining) => `${when} (in ${remaining})`,
  unknown:
    'Über dieses Geheimnis ist nichts bekannt: Der Verwaltungslink ist falsch, oder sein Eintrag ist gelöscht. Der Eintrag bleibt bis zum Ablauf des Geheimnisses; auf Servern, die einen Verlauf führen, bleibt der Verlauf noch eine Weile, nachdem das Geheimnis fort ist.',
  incomplete: 'Dieser Verwaltungslink ist unvollständig: Der Teil nach „#“ fehlt. Öffnen Sie den ganzen Verwaltungslink, den Sie behalten haben.',
  setToExpire: 'Vorgesehener Ablauf',
  history: 'Verlauf',
  historyHelp:
    'Chat-Apps und Mailfilter öffnen Links oft von selbst, um eine Vorschau zu zeigen oder sie auf Schadsoftware zu prüfen. Dabei wird das Geheimnis nicht gelesen; das geschieht erst beim Aufdecken.',
  onlyMachines: (n) =>
    plural(n, {
      one: 'Der Link wurde einmal von einer Linkvorschau oder einem Scanner geöffnet, aber noch von niemandem gelesen.',
      other: 'Der Link wurde #-mal von Linkvorschauen oder Scannern geöffnet, aber noch von niemandem gelesen.',
    }),
  onlyMachinesEnded: (n) =>
    plural(n, {
      one: 'Der Link wurde einmal von einer Linkvorschau oder einem Scanner geöffnet, aber von niemandem gelesen.',
      other: 'Der Link wurde #-mal von Linkvorschauen oder Scannern geöffnet, aber von niemandem gelesen.',
    }),
  readByMachine: 'Gelesen hat es ein automatisierter Client, kein Mensch im Browser. Falls der Empfänger es nicht bekommen hat, teilen Sie das Geheimnis erneut.',
  dropped: (n) => plural(n, { one: '… und # weiteres Ereignis, das der Server nicht aufbewahrt hat.', other: '… und # weitere Ereignisse, die der Server nicht aufbewahrt hat.' }),
  evCreated: (by) => `${cap(by)} erstellt`,
  evOpened: (by) => `Link ${by} geöffnet — nicht gelesen`,
  evRead: (by) => `${cap(by)} gelesen`,
  evPassphraseFailed: (by) => `Falsche Passphrase ${by} eingegeben`,
  evRevoked: (by) => `${cap(by)} widerrufen`,
  evOther: (type, by) => `Ereignis „${type}“ ${by}`,
  byBrowser: 'im Browser',
  byLinkPreview: 'von einer Linkvorschau',
  byScanner: 'von einem automatischen Scanner',
  byCli: 'mit der hush-CLI',
  byApi: 'über die API',
  byUnknown: 'von einem unbekannten Client',
  byOther: (kind) => `von einem Client der Art „${kind}“`,
  sharesTitle: 'Anteile',
  sharesHelp: 'An den verwendeten Anteilen sehen Sie, wer am Öffnen des Geheimnisses beteiligt war. Wenn Sie oben das Geheimnis widerrufen, ist die Aufteilung beendet; wenn Sie einen Anteil widerrufen, bleiben die anderen gültig.',
  shareState: (i, n, state) => `Anteil ${String(i)} von ${String(n)}: ${state}`,
  shareUnknown: 'dem Server nicht mehr bekannt (sein Eintrag wurde gelöscht)',
};

export const request: typeof En.request = {
  title: 'Hush — um ein Geheimnis bitten',
  h1: 'Jemanden um ein Geheimnis bitten',
  lead: 'Hush erzeugt in diesem Browser ein Schlüsselpaar und einen Link zum Verschicken. Was die andere Person antwortet, wird für Ihren Schlüssel verschlüsselt: Nur dieser Browser kann es öffnen — nicht der Server, niemand, der den Link sieht.',
  noteLabel: 'Notiz für die sendende Person',
  optional: '(optional)',
  noteHelp1: 'Zum Beispiel „bitte den API-Schlüssel für Staging“. Die Notiz ist ',
  notEncrypted: 'nicht verschlüsselt',
  noteHelp2: ': Der Server kann sie lesen. Schreiben Sie nie ein Geheimnis hinein.',
  ttlLabel: 'Die Anfrage läuft ab nach',
  hour1: '1 Stunde',
  hours24: '24 Stunden',
  days7: '7 Tagen',
  make: 'Anfragelink erstellen',
  making: 'Schlüssel wird erzeugt …',
  madeTitle: 'Schicken Sie diesen Link der Person, die das Geheimnis hat',
  linkLabel: 'Anfragelink',
  copy: 'Kopieren',
  keepOpen: 'Lassen Sie diese Seite offen oder kehren Sie in diesem Browser zu dieser Adresse zurück: Die Antwort lässt sich nur hier entschlüsseln.',
  pendingTitle: 'Ihre Anfragen',
  answerTitle: 'Das Geheimnis, um das Sie gebeten haben',
  secretLabel: 'Geheimnis',
  answerHelp: 'Es wurde vom Server gelöscht, und der Schlüssel, der es geöffnet hat, aus diesem Browser.',
  shareInstead: 'Stattdessen ein Geheimnis teilen',
  untitled: 'Anfrage',
  waiting: 'wartet auf die Antwort',
  waitingFor: (left) => `wartet auf die Antwort (läuft ab in ${left})`,
  line: (what, state) => `${what} — ${state}. `,
  cancel: 'Abbrechen',
  turnstile: 'Dieser Server prüft mit Turnstile, ob ein Mensch anfragt; die Anfrageseite unterstützt das noch nicht. Verwenden Sie hush request im Terminal.',
  linkWhat: 'Anfragelink',
  secretWhat: 'Geheimnis',
};

export const respond: typeof En.respond = {
  title: 'Hush — jemand bittet Sie um ein Geheimnis',
  h1: 'Jemand bittet Sie um ein Geheimnis',
  lead: 'Was Sie senden, wird in diesem Browser für den Schlüssel der anfragenden Person verschlüsselt: Nur sie kann es öffnen, einmal.',
  checking: 'Anfrage wird geprüft …',
  theirNote: 'Ihre Notiz',
  noteNotEncrypted: '(nicht verschlüsselt: Der Server kann sie lesen)',
  expiresIn: (left) => `Die Anfrage läuft ab in ${left.replace(/\.$/, '')}.`,
  secretLabel: 'Geheimnis',
  send: 'Sicher senden',
  sending: 'Wird verschlüsselt …',
  sent: 'Gesendet. Es ist für den Schlüssel der anfragenden Person verschlüsselt; nur sie kann es öffnen, einmal. Sie können diese Seite schließen.',
  ownLink: 'Ein eigenes Geheimnis teilen',
  mismatch: 'Halt: Der Schlüssel, den dieser Server für die Anfrage liefert, passt nicht zum Link. Jemand versucht womöglich, Ihre Antwort zu lesen. Es wurde nichts gesendet; sagen Sie der anfragenden Person Bescheid.',
  damaged: 'Dieser Anfragelink ist unvollständig oder beschädigt: Kopieren Sie den ganzen Link, auch den Teil nach „#“, und öffnen Sie ihn erneut.',
  notAvailable: 'Diese Anfrage ist nicht verfügbar: Sie wurde beantwortet, abgebrochen oder ist abgelaufen. Bitten Sie die anfragende Person um einen neuen Link.',
  answered: 'Diese Anfrage wurde schon beantwortet; sie nimmt nur eine Antwort an.',
  empty: 'Schreiben Sie zuerst das Geheimnis, das Sie senden möchten.',
  goneMeanwhile: 'Diese Anfrage ist nicht mehr verfügbar: Sie wurde inzwischen beantwortet, abgebrochen oder ist abgelaufen.',
};

export const combine: typeof En.combine = {
  title: 'Hush — ein aufgeteiltes Geheimnis öffnen',
  h1: 'Ein auf mehrere Personen aufgeteiltes Geheimnis öffnen',
  lead: 'Der Absender hat dieses Geheimnis in Anteil-Links aufgeteilt, einen für jeden Inhaber: Genügend davon zusammen öffnen es. Fügen Sie die Anteil-Links hier nacheinander hinzu. Die Links bleiben nur auf dieser Seite, und es wird nichts verbraucht, bis Sie das Geheimnis öffnen.',
  shareLabel: 'Anteil-Link',
  shareHelp: 'Ein Link, der einen Anteil enthält: \u2066…/s/…#share.…\u2069',
  add: 'Hinzufügen',
  adding: 'Wird geprüft…',
  sharesTitle: 'Hinzugefügte Anteile',
  share: (n) => `Anteil ${String(n)}`,
  remove: (n) => `Anteil ${String(n)} entfernen`,
  removeLabel: 'Entfernen',
  progress: (have, need) =>
    plural(need, { one: `${String(have)} von # benötigten Anteil hinzugefügt.`, other: `${String(have)} von # benötigten Anteilen hinzugefügt.` }),
  ready: (need) =>
    plural(need, {
      one: 'Genügend Anteile: Beim Öffnen werden # Anteil und das Geheimnis selbst verbraucht.',
      other: 'Genügend Anteile: Beim Öffnen werden # davon und das Geheimnis selbst verbraucht.',
    }),
  passphraseHelp: 'Die Anteile sind mit einer Passphrase geschützt, die der Absender ihren Inhabern auf anderem Weg gegeben hat.',
  notShare: 'Das ist kein Anteil-Link. Ein Anteil-Link endet mit „#share.“, gefolgt von weiteren Zeichen; kopieren Sie den ganzen Link.',
  otherServer: 'Dieser Anteil gehört zu einem anderen Hush-Server: Öffnen Sie ihn dort.',
  otherSecret: 'Dieser Anteil gehört zu einem anderen aufgeteilten Geheimnis als die bisher hinzugefügten Anteile. Es wurde nichts verbraucht.',
  duplicate: 'Dieser Anteil ist bereits hinzugefügt.',
  shareGone: 'Dieser Anteil lässt sich nicht mehr öffnen: Er wurde bereits verwendet, ist abgelaufen oder wurde widerrufen. Fragen Sie den Absender oder einen anderen Inhaber.',
  notEnough: 'Von den hinzugefügten Anteilen lassen sich nicht mehr genügend öffnen. Es wurde nichts verbraucht.',
  mismatch: 'Die Anteile passen nicht zusammen: Einer davon ist beschädigt oder gehört zu einem anderen Geheimnis. Fragen Sie den Absender.',
  vaultGone: 'Die Anteile passen zusammen, aber das Geheimnis selbst lässt sich nicht mehr öffnen: Es wurde gelesen, ist abgelaufen oder wurde widerrufen.',
  opened: 'Das Geheimnis ist jetzt vom Server gelöscht, und die dafür verwendeten Anteile sind verbraucht. Nur diese Seite zeigt es noch: Kopieren Sie es, bevor Sie gehen.',
  left: 'Das Geheimnis wurde von dieser Seite entfernt, als Sie sie verlassen haben, und ist auch vom Server gelöscht. Falls Sie es nicht kopiert haben, bitten Sie den Absender, es erneut zu teilen.',
};

export const mine: typeof En.mine = {
  title: 'Hush — meine Geheimnisse',
  h1: 'Meine Geheimnisse',
  lead: 'Die Geheimnisse, die Sie angemeldet geteilt haben: ob und wann sie gelesen wurden. Nie ihr Inhalt oder ihre Links.',
  share: 'Ein Geheimnis teilen',
  created: (when) => `Geteilt ${when}`,
  expires: 'Läuft ab',
  none: 'Sie haben angemeldet noch kein Geheimnis geteilt, oder alle sind schon gelöscht.',
  signIn: 'Melden Sie sich an, um Ihre geteilten Geheimnisse zu sehen',
  noSignIn: 'Dieser Server hat keine Anmeldung und daher keine Liste Ihrer Geheimnisse. Jedes Geheimnis hat seinen eigenen Verwaltungslink.',
};

export const notFound: typeof En.notFound = {
  title: 'Hush — nicht gefunden',
  h1: 'Hier ist nichts',
  lead: 'Unter dieser Adresse gibt es keine Seite. Wenn Sie einem Link zu einem Geheimnis gefolgt sind, kopieren Sie den ganzen Link, den Sie bekommen haben, und öffnen Sie ihn erneut.',
  share: 'Ein Geheimnis teilen',
};

/** Keys whose text is the English on purpose: words German uses as they are. */
export const same: readonly string[] = ['create.passphrase', 'create.optional', 'create.link', 'open.passphrase', 'request.optional', 'manage.expiresIn'];
