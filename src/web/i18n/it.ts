// Italiano, register "tu" (informal, as Google, Apple, Microsoft and Bitwarden write Italian). Same keys
// as en.ts (the types make a missing or extra key a compile error). Plural categories for it: one (1),
// many (millions: "1.000.000 di volte"), other. Dates ("lun 30 nov 2026, 14:05") follow a verb without
// an article ("Scade lun 30 nov…"), as Italian writes a date that starts with the weekday.
import type * as En from './en.js';
import { plural } from './plural.js';

export const common: typeof En.common = {
  tag: 'segreti monouso con crittografia end-to-end',
  language: 'Lingua',
  copied: 'Copiato ✓',
  pressCtrlC: 'Premi Ctrl+C per copiare',
  copiedAnnounce: (what) => `${what} copiato negli appunti.`,
  selectedAnnounce: (what) => `${what} selezionato: premi Ctrl+C per copiarlo.`,
  lessThanMinute: 'meno di un minuto',
  notAvailable: 'Questo segreto non è disponibile. È già stato letto, è scaduto oppure il link è incompleto. Chiedi al mittente di condividerne uno nuovo.',
  network: 'Impossibile raggiungere il server di Hush. Controlla la connessione e riprova.',
  aMinute: 'un minuto',
  rateLimited: (wait) => `Troppi tentativi dalla tua rete. Riprova tra ${wait}.`,
  wrongPassphrase: 'Passphrase errata.',
  wrongPassphraseLeft: (n) =>
    `Passphrase errata. ${plural(n, { one: 'Resta # tentativo', many: 'Restano # di tentativi', other: 'Restano # tentativi' })} prima che il segreto venga distrutto.`,
  wrongCodeLeft: (n) =>
    `Codice errato o scaduto. ${plural(n, { one: 'Resta # tentativo', many: 'Restano # di tentativi', other: 'Restano # tentativi' })} prima che il segreto venga distrutto.`,
  codeRequired: 'Solo le persone indicate dal mittente possono aprire questo segreto: prima richiedi un codice al tuo indirizzo email.',
  notYetAvailable: (when) => `Questo segreto si potrà aprire a partire da ${when}.`,
  badResponse: 'Il server ha inviato una risposta che questa pagina non capisce. Riprova più tardi.',
  expired: (when) => `Questo segreto è scaduto ${when}.`,
  unsupportedVersion: 'Questo segreto è stato creato da una versione più recente di Hush. Aprilo con una versione aggiornata di Hush.',
  invalidLink: 'Questo link è incompleto o danneggiato. Copia l’intero link, compresa la parte dopo «#», e aprilo di nuovo.',
  decryptionFailed: 'Impossibile decifrare questo segreto: il link o la passphrase sono errati, oppure i dati sono danneggiati.',
  unsafeParameters: 'Il server ha inviato parametri della passphrase che questa pagina si rifiuta di usare. Chiedi al mittente di condividere un nuovo link.',
  somethingWrong: 'Si è verificato un errore. Ricarica la pagina e riprova.',
};

// The create page's messages, the largest section, live in it-create.ts.
export { create } from './it-create.js';

export const open: typeof En.open = {
  title: 'Hush — un segreto per te',
  h1: 'Qualcuno ha condiviso un segreto con te',
  passphrase: 'Passphrase',
  reveal: 'Rivela il segreto',
  secretTitle: 'Il segreto',
  secret: 'Segreto',
  copy: 'Copia il segreto',
  own: 'Condividi anche tu un segreto',
  decrypting: 'Decifratura in corso…',
  checking: 'Verifica della passphrase…',
  enterPassphrase: 'Inserisci la passphrase che ti ha dato il mittente.',
  files: 'File',
  filesNote: 'Ogni file viene scaricato esattamente come è stato inviato; questa pagina non lo apre mai. Apri i file solo se ti fidi del mittente.',
};

export const reveal: typeof En.reveal = {
  intro: 'Il segreto è cifrato; la chiave è nel tuo link. Rivelandolo, lo decifri in questo browser e lo elimini dal server: copialo quindi in un posto sicuro.',
  passphraseHelp: 'Il mittente ha protetto questo segreto con una passphrase e dovrebbe avertela comunicata in un altro modo.',
  expiresIn: (remaining) => `Scade tra ${remaining}.`,
  once: 'Si può aprire una sola volta.',
  moreTimes: (n) => `Si può aprire ancora ${plural(n, { one: 'una volta', many: '# di volte', other: '# volte' })}.`,
  notBefore: (when) => `Il mittente lo ha reso disponibile da ${when}; prima non si può aprire.`,
  deleted: 'Ora è stato eliminato dal server; questa pagina è l’unico posto in cui viene mostrato. Copialo prima di uscire.',
  moreWithLink: (n) => `Con lo stesso link si può aprire ${plural(n, { one: 'ancora una volta', many: 'altre # di volte', other: 'altre # volte' })}.`,
  ageKey: 'Questo segreto è cifrato per la tua chiave age: aprilo con «hush open --identity FILE».',
  ageLink: 'Aprilo qui con il tuo file di identità age',
  combineLink: 'Aprilo insieme alle altre parti',
  shareKey: 'Questo link è una parte di un segreto suddiviso tra più persone: si apre solo insieme a un numero sufficiente delle altre parti, con «hush combine LINK…». Non è stato consumato nulla.',
  badKey: 'Questo link è incompleto: la chiave dopo «#» manca o è danneggiata. Copia l’intero link che hai ricevuto e aprilo di nuovo.',
  burned: 'Passphrase errata e nessun tentativo rimasto: il segreto è stato distrutto. Chiedi al mittente di condividerlo di nuovo.',
  burnedCode: 'Codice errato e nessun tentativo rimasto: il segreto è stato distrutto. Chiedi al mittente di condividerlo di nuovo.',
  restricted: 'Solo le persone indicate dal mittente possono aprire questo segreto. Inserisci il tuo indirizzo email: se il mittente lo ha indicato, riceverai un codice.',
  email: 'Il tuo indirizzo email',
  sendCode: 'Inviami un codice',
  sendNewCode: 'Invia un nuovo codice',
  sending: 'Invio in corso…',
  codeSent: (address) => `Se il mittente ha indicato ${address}, un codice è in arrivo a quell’indirizzo. Può volerci un minuto; controlla anche la cartella spam.`,
  enterEmail: 'Inserisci il tuo indirizzo email.',
  signIn: 'Oppure accedi qui con l’indirizzo indicato dal mittente: il codice arriverà in questa pagina (nuova scheda)',
  codeGiven: (address) => `Hai effettuato l’accesso come ${address}: il codice è già inserito.`,
  notRecipient: (address) => `Hai effettuato l’accesso come ${address}, che il mittente non ha indicato: questo segreto non è per quell’indirizzo.`,
  code: 'Codice ricevuto via email',
  codeHelp: 'Codice di sei cifre, valido per 10 minuti e per una sola apertura. I codici errati contano: dopo 5 il segreto viene distrutto.',
  enterCode: 'Inserisci il codice di sei cifre ricevuto via email.',
  leftDeleted:
    'Il segreto è stato rimosso da questa pagina quando l’hai lasciata ed è stato eliminato dal server. Se non l’hai copiato, chiedi al mittente di condividerlo di nuovo.',
  leftMore: (n) =>
    `Il segreto è stato rimosso da questa pagina quando l’hai lasciata. Con il link che hai ricevuto si può aprire ${plural(n, { one: 'ancora una volta', many: 'altre # di volte', other: 'altre # volte' })}.`,
};

export const stateless: typeof En.stateless = {
  intro: 'Questo è un link autonomo: il segreto cifrato si trova dentro il link stesso. Questa pagina lo decifra nel tuo browser e non invia nulla al server.',
  note: 'Un link autonomo non si può revocare né limitare a una sola lettura (chiunque abbia il link può aprirlo fino alla scadenza) e la scadenza viene applicata dal tuo browser, non da un server.',
  passphraseHelp: 'Questo link si apre solo con la passphrase che il mittente ti ha comunicato in un altro modo.',
  noExpiry: 'Questo link non scade.',
  validFor: (remaining) => `Questo link resta valido ancora per ${remaining}; fino ad allora chiunque lo abbia può aprirlo.`,
  damaged: 'Questo link è incompleto o danneggiato: copia l’intero link, compresa la parte dopo «#», e aprilo di nuovo.',
  wrong: 'Passphrase errata o link danneggiato. Controlla la passphrase e riprova.',
  left: 'Il segreto è stato rimosso da questa pagina quando l’hai lasciata. Per leggerlo, apri di nuovo il link che hai ricevuto.',
};

export const manage: typeof En.manage = {
  title: 'Hush — il tuo segreto condiviso',
  h1: 'Il tuo segreto condiviso',
  lead: 'Questa pagina è per il mittente. Mostra se il segreto è stato letto e ti permette di revocarlo. Non può mostrare il segreto stesso.',
  state: 'Stato',
  opensFor: 'Chi può aprirlo',
  onlyNamed: 'Solo le persone che hai indicato, con un codice inviato via email',
  viewsLeft: 'Visualizzazioni rimaste',
  expires: 'Scadenza',
  expired: 'Scaduto',
  keptUntil: 'Registro conservato fino a',
  live: 'Questa pagina si aggiorna da sola finché il segreto è in attesa.',
  revoke: 'Revoca ora',
  refresh: 'Aggiorna',
  confirm: 'Revocare questo segreto? Il testo cifrato viene cancellato subito e il link smette di funzionare. L’operazione non si può annullare.',
  yes: 'Sì, revoca',
  no: 'Mantieni',
  another: 'Condividi un altro segreto',
  revoking: 'Revoca in corso…',
  pending: 'In attesa — non ancora letto',
  consumed: 'Letto',
  expiredUnread: 'Scaduto senza essere letto',
  revoked: 'Revocato da te',
  burned: 'Distrutto dopo troppi tentativi errati di passphrase o codice',
  openedLast: (when) => `Aperto (l’ultima volta: ${when})`,
  stateOn: (state, when) => `${state}: ${when}`,
  expiresIn: (when, remaining) => `${when} (tra ${remaining})`,
  unknown:
    'Non si sa nulla di questo segreto: il link di gestione è sbagliato oppure il suo registro non esiste più. Il registro resta fino alla scadenza del segreto; sui server che tengono una cronologia, la cronologia viene conservata ancora per un po’ dopo che il segreto non c’è più.',
  incomplete: 'Questo link di gestione è incompleto: manca la parte dopo «#». Apri l’intero link di gestione che hai conservato.',
  setToExpire: 'Scadenza prevista',
  history: 'Cronologia',
  historyHelp:
    'Le app di chat e i filtri della posta aprono spesso i link da soli, per mostrarne un’anteprima o per controllare che non contengano malware. Questo non legge il segreto: lo legge solo chi lo rivela.',
  onlyMachines: (n) =>
    plural(n, {
      one: 'Il link è stato aperto una volta da un’anteprima o da uno scanner, ma nessuno l’ha ancora letto.',
      many: 'Il link è stato aperto # di volte da anteprime dei link o scanner, ma nessuno l’ha ancora letto.',
      other: 'Il link è stato aperto # volte da anteprime dei link o scanner, ma nessuno l’ha ancora letto.',
    }),
  onlyMachinesEnded: (n) =>
    plural(n, {
      one: 'Il link è stato aperto una volta da un’anteprima o da uno scanner, ma nessuno l’ha letto.',
      many: 'Il link è stato aperto # di volte da anteprime dei link o scanner, ma nessuno l’ha letto.',
      other: 'Il link è stato aperto # volte da anteprime dei link o scanner, ma nessuno l’ha letto.',
    }),
  readByMachine: 'È stato letto da un client automatico, non da una persona in un browser. Se il destinatario non l’ha ricevuto, condividi di nuovo il segreto.',
  dropped: (n) =>
    plural(n, {
      one: '… e # altro evento che il server non ha conservato.',
      many: '… e altri # di eventi che il server non ha conservato.',
      other: '… e altri # eventi che il server non ha conservato.',
    }),
  evCreated: (by) => `Creato ${by}`,
  evOpened: (by) => `Link aperto ${by} — non letto`,
  evRead: (by) => `Letto ${by}`,
  evPassphraseFailed: (by) => `Tentativo con passphrase errata ${by}`,
  evRevoked: (by) => `Revocato ${by}`,
  evOther: (type, by) => `Evento «${type}» ${by}`,
  byBrowser: 'in un browser',
  byLinkPreview: 'da un’anteprima del link',
  byScanner: 'da uno scanner automatico',
  byCli: 'dalla CLI di hush',
  byApi: 'tramite l’API',
  byUnknown: 'da un client sconosciuto',
  byOther: (kind) => `da un client di tipo «${kind}»`,
  sharesTitle: 'Parti',
  sharesHelp: 'Le parti usate ti dicono chi ha partecipato all’apertura del segreto. Se revochi il segreto qui sopra, la suddivisione finisce; se revochi una parte, le altre restano valide.',
  shareState: (i, n, state) => `Parte ${String(i)} di ${String(n)}: ${state}`,
  shareUnknown: 'il server non la conosce più (il suo registro è stato eliminato)',
};

export const request: typeof En.request = {
  title: 'Hush — chiedi un segreto',
  h1: 'Chiedi un segreto a qualcuno',
  lead: 'Hush genera una coppia di chiavi in questo browser e un link da inviare. La risposta dell’altra persona viene cifrata per la tua chiave: solo questo browser può aprirla, non il server né chiunque veda il link.',
  noteLabel: 'Nota per chi invia',
  optional: '(facoltativa)',
  noteHelp1: 'Ad esempio «la chiave API di staging, per favore». La nota ',
  notEncrypted: 'non è cifrata',
  noteHelp2: ': il server può leggerla. Non scriverci mai un segreto.',
  ttlLabel: 'La richiesta scade dopo',
  hour1: '1 ora',
  hours24: '24 ore',
  days7: '7 giorni',
  make: 'Crea link di richiesta',
  making: 'Generazione della chiave…',
  madeTitle: 'Invia questo link alla persona che ha il segreto',
  linkLabel: 'Link di richiesta',
  copy: 'Copia',
  keepOpen: 'Tieni aperta questa pagina o torna a questo indirizzo con questo browser: la risposta si può decifrare solo qui.',
  pendingTitle: 'Le tue richieste',
  answerTitle: 'Il segreto che hai chiesto',
  secretLabel: 'Segreto',
  answerHelp: 'È stato eliminato dal server, e la chiave che l’ha aperto è stata eliminata da questo browser.',
  shareInstead: 'Oppure condividi un segreto',
  untitled: 'Richiesta',
  waiting: 'in attesa della risposta',
  waitingFor: (left) => `in attesa della risposta (scade tra ${left})`,
  line: (what, state) => `${what} — ${state}. `,
  cancel: 'Annulla',
  turnstile:
    'Questo server usa Turnstile per verificare che dall’altra parte ci sia una persona, ma la pagina di richiesta non lo supporta ancora. Usa hush request in un terminale.',
  linkWhat: 'Link di richiesta',
  secretWhat: 'Segreto',
};

export const respond: typeof En.respond = {
  title: 'Hush — qualcuno ti chiede un segreto',
  h1: 'Qualcuno ti chiede un segreto',
  lead: 'Ciò che invii viene cifrato in questo browser per la chiave del richiedente: solo questa persona potrà aprirlo, una sola volta.',
  checking: 'Verifica della richiesta…',
  theirNote: 'Nota del richiedente',
  noteNotEncrypted: '(non cifrata: il server può leggerla)',
  expiresIn: (left) => `La richiesta scade tra ${left}.`,
  secretLabel: 'Segreto',
  send: 'Invia in modo sicuro',
  sending: 'Cifratura in corso…',
  sent: 'Inviato. È cifrato per la chiave del richiedente: solo questa persona può aprirlo, una sola volta. Ora puoi chiudere questa pagina.',
  ownLink: 'Condividi anche tu un segreto',
  mismatch:
    'Attenzione: la chiave che questo server fornisce per la richiesta non corrisponde al link. Qualcuno potrebbe tentare di leggere la tua risposta. Non è stato inviato nulla; avvisa il richiedente.',
  damaged: 'Questo link di richiesta è incompleto o danneggiato: copia l’intero link, compresa la parte dopo «#», e aprilo di nuovo.',
  notAvailable: 'Questa richiesta non è disponibile: ha già ricevuto risposta, è stata annullata o è scaduta. Chiedi un nuovo link al richiedente.',
  answered: 'Questa richiesta ha già ricevuto risposta; ne accetta una sola.',
  empty: 'Prima scrivi il segreto da inviare.',
  goneMeanwhile: 'Questa richiesta non è più disponibile: nel frattempo ha ricevuto risposta, è stata annullata o è scaduta.',
};

export const combine: typeof En.combine = {
  title: 'Hush — apri un segreto suddiviso',
  h1: 'Apri un segreto suddiviso tra più persone',
  lead: 'Il mittente ha suddiviso questo segreto in più parti, ognuna con il proprio link e affidata a una persona diversa: un numero sufficiente di parti, insieme, lo apre. Aggiungi qui i link delle parti uno alla volta. Restano solo in questa pagina e non viene consumato nulla finché non apri il segreto.',
  shareLabel: 'Link di una parte',
  shareHelp: 'Un link che contiene una parte: \u2066…/s/…#share.…\u2069',
  add: 'Aggiungi parte',
  adding: 'Verifica…',
  sharesTitle: 'Parti aggiunte',
  share: (n) => `Parte ${String(n)}`,
  remove: (n) => `Rimuovi la parte ${String(n)}`,
  removeLabel: 'Rimuovi',
  progress: (have, need) =>
    plural(need, {
      one: `${String(have)} di # parte necessaria.`,
      many: `${String(have)} di # di parti necessarie.`,
      other: `${String(have)} di # parti necessarie.`,
    }),
  ready: (need) =>
    plural(need, {
      one: 'Parti sufficienti: aprendo il segreto si consumano # parte e il segreto stesso.',
      many: 'Parti sufficienti: aprendo il segreto si consumano # di parti e il segreto stesso.',
      other: 'Parti sufficienti: aprendo il segreto si consumano # parti e il segreto stesso.',
    }),
  passphraseHelp: 'Le parti sono protette da una passphrase, che il mittente ha comunicato in un altro modo a chi le custodisce.',
  notShare: 'Questo non è il link di una parte. Il link di una parte termina con «#share.» seguito da altri caratteri: copia l’intero link.',
  otherServer: 'Questa parte appartiene a un altro server Hush: aprila lì.',
  otherSecret: 'Questa parte appartiene a un segreto suddiviso diverso da quello delle parti aggiunte prima. Non è stato consumato nulla.',
  duplicate: 'Questa parte è già stata aggiunta.',
  shareGone: 'Questa parte non si può più aprire: è stata usata, è scaduta o è stata revocata. Chiedi al mittente o a chi custodisce un’altra parte.',
  notEnough: 'Tra le parti aggiunte, non ce ne sono abbastanza che si possano ancora aprire. Non è stato consumato nulla.',
  mismatch: 'Le parti non combaciano: una di esse è danneggiata o appartiene a un altro segreto. Chiedi al mittente.',
  vaultGone: 'Le parti combaciano, ma il segreto stesso non si può più aprire: è già stato letto, è scaduto o è stato revocato.',
  opened: 'Il segreto è stato eliminato dal server e le parti usate per aprirlo sono state consumate. Questa pagina è l’unico posto in cui viene mostrato: copialo prima di uscire.',
  left: 'Il segreto è stato rimosso da questa pagina quando l’hai lasciata ed è stato eliminato dal server. Se non l’hai copiato, chiedi al mittente di condividerlo di nuovo.',
};

/** The age page (/a): a secret whose link key is wrapped to the reader's age key, unwrapped with their identity file (docs/protocol.md §14). */
export const age: typeof En.age = {
  title: 'Hush — un segreto per la tua chiave age',
  h1: 'Un segreto cifrato per la tua chiave age',
  lead: 'Solo la tua identità age apre questo segreto. Scegli il tuo file di identità: questa pagina lo legge e decifra la chiave del segreto, e il file non lascia mai il tuo dispositivo. Non viene inviato né consumato nulla finché non riveli il segreto nella pagina successiva.',
  identityLabel: 'Il tuo file di identità age',
  identityHelp: 'Il file creato da age-keygen, con una riga che inizia con «AGE-SECRET-KEY-1».',
  unlock: 'Sblocca con questo file',
  unlocking: 'Sblocco in corso…',
  cli: 'In un terminale, anche «hush open --identity FILE» apre un link di questo tipo.',
  noLink: 'Qui non c’è nessun link da aprire. Apri il link che hai ricevuto: la sua pagina porta qui.',
  notAgeLink: 'Questo non è il link di un segreto cifrato per una chiave age, oppure è danneggiato. Copia l’intero link che hai ricevuto e aprilo di nuovo.',
  otherServer: 'Questo segreto appartiene a un altro server Hush: apri il suo link lì.',
  chooseFile: 'Prima scegli il tuo file di identità age.',
  notIdentity: 'Questo file non contiene alcuna identità age. Scegli il file creato da age-keygen (con una riga che inizia con «AGE-SECRET-KEY-1»), non la chiave pubblica. Non è stato consumato nulla.',
  wrongIdentity: 'Questa identità non apre questo segreto: è stato cifrato per un’altra chiave age. Scegli un altro file di identità. Non è stato consumato nulla.',
  passphraseProtected: 'Questo file di identità è protetto da una passphrase e questa pagina non può aprirlo: usa «hush open --identity FILE» oppure decifra prima il file con «age -d». Non è stato consumato nulla.',
  ssh: 'Questa è una chiave SSH. I segreti sono cifrati solo per chiavi age: scegli il tuo file di identità age. Non è stato consumato nulla.',
  postQuantum: 'Le identità age post-quantistiche («AGE-SECRET-KEY-PQ-1…») si aprono solo con «hush open --identity FILE», non nel browser. Non è stato consumato nulla.',
  plugin: 'Le identità plugin («AGE-PLUGIN-…») non sono supportate. Non è stato consumato nulla.',
  damaged: 'Il file age contenuto in questo link è danneggiato. Copia l’intero link che hai ricevuto e aprilo di nuovo. Non è stato consumato nulla.',
  left: 'Il link è stato rimosso da questa pagina quando l’hai lasciata. Apri di nuovo il link che hai ricevuto.',
};

export const mine: typeof En.mine = {
  title: 'Hush — i miei segreti',
  h1: 'I miei segreti',
  lead: 'I segreti che hai condiviso dopo aver eseguito l’accesso: se e quando sono stati letti. Mai il loro contenuto né i loro link.',
  share: 'Condividi un segreto',
  created: (when) => `Condiviso ${when}`,
  expires: 'Scadenza',
  none: 'Non hai ancora condiviso segreti dopo aver eseguito l’accesso, oppure sono già stati tutti eliminati.',
  signIn: 'Accedi per vedere i segreti che hai condiviso',
  noSignIn: 'Questo server non prevede l’accesso, quindi non c’è un elenco dei tuoi segreti. Ogni segreto ha il proprio link di gestione.',
};

export const notFound: typeof En.notFound = {
  title: 'Hush — pagina non trovata',
  h1: 'Qui non c’è niente',
  lead: 'A questo indirizzo non c’è nessuna pagina. Se hai seguito il link di un segreto, copia l’intero link che hai ricevuto e aprilo di nuovo.',
  share: 'Condividi un segreto',
};

/** Keys ("section.key") whose text is identical to the English on purpose (a brand, a code word, a loan word). */
export const same: readonly string[] = ['create.ctrl', 'create.passphrase', 'create.link', 'open.passphrase'];
