// Nederlands (nl), informal "je/jouw" as Google, Apple and Bitwarden use. Same keys as en.ts (the types make a missing or extra key a compile error).
import type * as En from './en.js';
import { plural } from './plural.js';

export const common: typeof En.common = {
  tag: 'end-to-end versleutelde, eenmalige geheimen',
  language: 'Taal',
  copied: 'Gekopieerd ✓',
  pressCtrlC: 'Druk op Ctrl+C om te kopiëren',
  copiedAnnounce: (what) => `${what} gekopieerd naar het klembord.`,
  selectedAnnounce: (what) => `${what} geselecteerd: druk op Ctrl+C om te kopiëren.`,
  lessThanMinute: 'minder dan een minuut',
  notAvailable:
    'Dit geheim is niet beschikbaar. Het is al gelezen, het is verlopen of de link is onvolledig. Vraag de afzender om het opnieuw te delen.',
  network: 'Kan geen verbinding maken met de Hush-server. Controleer je verbinding en probeer het opnieuw.',
  aMinute: 'een minuut',
  rateLimited: (wait) => `Te veel pogingen vanaf je netwerk. Probeer het over ${wait} opnieuw.`,
  wrongPassphrase: 'Onjuiste wachtwoordzin.',
  wrongPassphraseLeft: (n) => `Onjuiste wachtwoordzin. Nog ${plural(n, { one: '# poging', other: '# pogingen' })} voordat het geheim wordt vernietigd.`,
  wrongCodeLeft: (n) => `Onjuiste of verlopen code. Nog ${plural(n, { one: '# poging', other: '# pogingen' })} voordat het geheim wordt vernietigd.`,
  codeRequired: 'Alleen mensen die de afzender heeft opgegeven, kunnen dit geheim openen: vraag eerst een code aan voor je e-mailadres.',
  notYetAvailable: (when) => `Dit geheim kan worden geopend vanaf ${when}.`,
  badResponse: 'De server gaf een antwoord dat deze pagina niet begrijpt. Probeer het later opnieuw.',
  expired: (when) => `Dit geheim is verlopen op ${when}.`,
  unsupportedVersion: 'Dit geheim is gemaakt met een nieuwere versie van Hush. Open het met een actuele versie van Hush.',
  invalidLink: 'Deze link is onvolledig of beschadigd. Kopieer de hele link, inclusief het deel na ‘#’, en open hem opnieuw.',
  decryptionFailed: 'Dit geheim kan niet worden ontsleuteld: de link of de wachtwoordzin is onjuist, of de gegevens zijn beschadigd.',
  unsafeParameters: 'De server stuurde wachtwoordzinparameters die deze pagina weigert te gebruiken. Vraag de afzender om een nieuwe link.',
  somethingWrong: 'Er is iets misgegaan. Laad de pagina opnieuw en probeer het nog eens.',
};

// The create page's messages, the largest section, live in nl-create.ts.
export { create } from './nl-create.js';

export const open: typeof En.open = {
  title: 'Hush – een geheim voor jou',
  h1: 'Iemand heeft een geheim met je gedeeld',
  passphrase: 'Wachtwoordzin',
  reveal: 'Geheim tonen',
  secretTitle: 'Het geheim',
  secret: 'Geheim',
  copy: 'Geheim kopiëren',
  own: 'Zelf een geheim delen',
  decrypting: 'Ontsleutelen…',
  checking: 'Wachtwoordzin controleren…',
  enterPassphrase: 'Voer de wachtwoordzin in die je van de afzender hebt gekregen.',
  files: 'Bestanden',
  filesNote: 'Elk bestand wordt precies zo gedownload als het is verstuurd; deze pagina opent het nooit. Open bestanden alleen als je de afzender vertrouwt.',
};

export const reveal: typeof En.reveal = {
  intro: 'Het is versleuteld; de sleutel zit in je link. Bij het tonen wordt het in deze browser ontsleuteld en van de server verwijderd, dus kopieer het naar een veilige plek.',
  passphraseHelp: 'De afzender heeft dit geheim beveiligd met een wachtwoordzin en zou die via een ander kanaal aan je moeten hebben gegeven.',
  expiresIn: (remaining) => `Verloopt over ${remaining}.`,
  once: 'Het kan één keer worden geopend.',
  moreTimes: (n) => `Het kan nog ${plural(n, { one: '# keer', other: '# keer' })} worden geopend.`,
  notBefore: (when) => `De afzender heeft het beschikbaar gemaakt vanaf ${when}; eerder kan het niet worden geopend.`,
  deleted: 'Het is nu van de server verwijderd; alleen deze pagina toont het nog. Kopieer het voordat je weggaat.',
  moreWithLink: (n) => `Het kan nog ${plural(n, { one: '# keer', other: '# keer' })} worden geopend met dezelfde link.`,
  ageKey: 'Dit geheim is versleuteld voor je eigen age-sleutel: open het met ‘hush open --identity FILE’.',
  combineLink: 'Open het samen met de andere delen',
  shareKey: 'Deze link is één deel van een geheim dat over meerdere mensen is verdeeld: hij kan alleen samen met genoeg andere delen worden geopend, met ‘hush combine LINK…’. Er is niets verbruikt.',
  badKey: 'Deze link is onvolledig: de sleutel na ‘#’ ontbreekt of is beschadigd. Kopieer de hele link die je hebt gekregen en open hem opnieuw.',
  burned: 'Onjuiste wachtwoordzin en er waren geen pogingen meer over: het geheim is vernietigd. Vraag de afzender om het opnieuw te delen.',
  burnedCode: 'Onjuiste code en er waren geen pogingen meer over: het geheim is vernietigd. Vraag de afzender om het opnieuw te delen.',
  restricted:
    'Alleen mensen die de afzender heeft opgegeven, kunnen dit geheim openen. Voer je e-mailadres in: als de afzender het heeft opgegeven, wordt er een code naartoe gestuurd.',
  email: 'Je e-mailadres',
  sendCode: 'Stuur me een code',
  sendNewCode: 'Stuur een nieuwe code',
  sending: 'Versturen…',
  codeSent: (address) =>
    `Als de afzender ${address} heeft opgegeven, is er een code naar dat adres onderweg. Dat kan een minuut duren; kijk ook in je spammap.`,
  enterEmail: 'Voer je e-mailadres in.',
  signIn: 'Of log hier in met het adres dat de afzender heeft opgegeven: dan komt de code op deze pagina (nieuw tabblad)',
  codeGiven: (address) => `Je bent ingelogd als ${address}: de code is al ingevuld.`,
  code: 'Code uit de e-mail',
  codeHelp: 'Zes cijfers, 10 minuten geldig en één keer te gebruiken. Foute codes tellen mee: na 5 wordt het geheim vernietigd.',
  enterCode: 'Voer de zescijferige code uit de e-mail in.',
  leftDeleted:
    'Het geheim is van deze pagina verwijderd toen je die verliet, en het is van de server verwijderd. Als je het niet hebt gekopieerd, vraag de afzender dan om het opnieuw te delen.',
  leftMore: (n) =>
    `Het geheim is van deze pagina verwijderd toen je die verliet. Het kan nog ${plural(n, { one: '# keer', other: '# keer' })} worden geopend met de link die je hebt gekregen.`,
};

export const stateless: typeof En.stateless = {
  intro: 'Dit is een link zonder opslag: het versleutelde geheim zit in de link zelf. Deze pagina ontsleutelt het in je browser en stuurt niets naar de server.',
  note: 'Een link zonder opslag kan niet worden ingetrokken of beperkt tot één keer lezen – iedereen die de link heeft, kan hem openen tot hij verloopt – en de vervaldatum wordt bewaakt door je browser, niet door een server.',
  passphraseHelp: 'Deze link opent alleen met de wachtwoordzin die de afzender je via een ander kanaal heeft gegeven.',
  noExpiry: 'Deze link verloopt niet.',
  validFor: (remaining) => `Deze link blijft nog ${remaining} geldig; tot die tijd kan iedereen die hem heeft, hem openen.`,
  damaged: 'Deze link is onvolledig of beschadigd: kopieer de hele link, inclusief het deel na ‘#’, en open hem opnieuw.',
  wrong: 'Onjuiste wachtwoordzin, of de link is beschadigd. Controleer de wachtwoordzin en probeer het opnieuw.',
  left: 'Het geheim is van deze pagina verwijderd toen je die verliet. Open de link die je hebt gekregen opnieuw om het te lezen.',
};

export const manage: typeof En.manage = {
  title: 'Hush – je gedeelde geheim',
  h1: 'Je gedeelde geheim',
  lead: 'Deze pagina is voor de afzender. Je ziet hier of het geheim is gelezen en je kunt het intrekken. Het geheim zelf kan deze pagina niet tonen.',
  state: 'Status',
  opensFor: 'Wie kan het openen',
  onlyNamed: 'Alleen de mensen die je hebt opgegeven, met een code die naar hen is gemaild',
  viewsLeft: 'Resterende weergaven',
  expires: 'Verloopt',
  expired: 'Verlopen',
  keptUntil: 'Gegevens bewaard tot',
  live: 'Deze pagina wordt automatisch bijgewerkt zolang het geheim wacht.',
  revoke: 'Nu intrekken',
  refresh: 'Vernieuwen',
  confirm: 'Dit geheim intrekken? De versleutelde inhoud wordt meteen gewist en de link werkt niet meer. Dit kan niet ongedaan worden gemaakt.',
  yes: 'Ja, intrekken',
  no: 'Behouden',
  another: 'Nog een geheim delen',
  revoking: 'Intrekken…',
  pending: 'Wacht – nog niet gelezen',
  consumed: 'Gelezen',
  expiredUnread: 'Ongelezen verlopen',
  revoked: 'Door jou ingetrokken',
  burned: 'Na te veel foute wachtwoordzinnen of codes vernietigd',
  openedLast: (when) => `Geopend, laatst op ${when}`,
  stateOn: (state, when) => `${state} op ${when}`,
  expiresIn: (when, remaining) => `${when} (over ${remaining})`,
  unknown:
    'Er is niets bekend over dit geheim: de beheerlink is onjuist of de gegevens zijn verdwenen. De gegevens blijven bewaard tot het geheim verloopt; op servers die een geschiedenis bijhouden, blijft die geschiedenis nog een tijdje bewaard nadat het geheim is verdwenen.',
  incomplete: 'Deze beheerlink is onvolledig: het deel na ‘#’ ontbreekt. Open de hele beheerlink die je hebt bewaard.',
  setToExpire: 'Zou verlopen op',
  history: 'Geschiedenis',
  historyHelp:
    'Chat-apps en mailfilters openen links vaak automatisch, om een voorbeeld te tonen of om ze op malware te controleren. Daarmee wordt het geheim niet gelezen; dat gebeurt pas als iemand het toont.',
  onlyMachines: (n) =>
    plural(n, {
      one: 'De link is één keer geopend door een linkvoorbeeld of scanner, maar nog niemand heeft het geheim gelezen.',
      other: 'De link is # keer geopend door linkvoorbeelden of scanners, maar nog niemand heeft het geheim gelezen.',
    }),
  onlyMachinesEnded: (n) =>
    plural(n, {
      one: 'De link is één keer geopend door een linkvoorbeeld of scanner, maar niemand heeft het geheim gelezen.',
      other: 'De link is # keer geopend door linkvoorbeelden of scanners, maar niemand heeft het geheim gelezen.',
    }),
  readByMachine: 'Het is gelezen door een geautomatiseerde client, niet door een persoon in een browser. Als de ontvanger het niet heeft gekregen, deel het geheim dan opnieuw.',
  dropped: (n) =>
    plural(n, { one: '… en nog # gebeurtenis die de server niet heeft bewaard.', other: '… en nog # gebeurtenissen die de server niet heeft bewaard.' }),
  evCreated: (by) => `Gemaakt ${by}`,
  evOpened: (by) => `Link geopend ${by} – niet gelezen`,
  evRead: (by) => `Gelezen ${by}`,
  evPassphraseFailed: (by) => `Onjuiste wachtwoordzin geprobeerd ${by}`,
  evRevoked: (by) => `Ingetrokken ${by}`,
  evOther: (type, by) => `Gebeurtenis ‘${type}’ ${by}`,
  byBrowser: 'in een browser',
  byLinkPreview: 'door een linkvoorbeeld',
  byScanner: 'door een automatische scanner',
  byCli: 'met de hush-CLI',
  byApi: 'via de API',
  byUnknown: 'door een onbekende client',
  byOther: (kind) => `door een client van het type ‘${kind}’`,
  sharesTitle: 'Delen',
  sharesHelp: 'Aan de gebruikte delen zie je wie heeft meegedaan aan het openen van het geheim. Trek je hierboven het geheim in, dan is de verdeling voorbij; trek je een deel in, dan blijven de andere geldig.',
  shareState: (i, n, state) => `Deel ${String(i)} van ${String(n)}: ${state}`,
  shareUnknown: 'niet meer bekend bij de server (de gegevens zijn verwijderd)',
};

export const request: typeof En.request = {
  title: 'Hush – vraag om een geheim',
  h1: 'Vraag iemand om een geheim',
  lead: 'Hush maakt in deze browser een sleutelpaar en een link om te versturen. Wat de ander antwoordt, wordt versleuteld voor jouw sleutel: alleen deze browser kan het openen – niet de server, en niemand die de link ziet.',
  noteLabel: 'Notitie voor de afzender',
  optional: '(optioneel)',
  noteHelp1: 'Bijvoorbeeld ‘de API-sleutel voor staging graag’. De notitie is ',
  notEncrypted: 'niet versleuteld',
  noteHelp2: ': de server kan die lezen. Zet er nooit een geheim in.',
  ttlLabel: 'Het verzoek verloopt na',
  hour1: '1 uur',
  hours24: '24 uur',
  days7: '7 dagen',
  make: 'Verzoeklink maken',
  making: 'Sleutel maken…',
  madeTitle: 'Stuur deze link naar de persoon die het geheim heeft',
  linkLabel: 'Verzoeklink',
  copy: 'Kopiëren',
  keepOpen: 'Houd deze pagina open, of kom in deze browser terug naar dit adres: het antwoord kan alleen hier worden ontsleuteld.',
  pendingTitle: 'Je verzoeken',
  answerTitle: 'Het geheim waar je om hebt gevraagd',
  secretLabel: 'Geheim',
  answerHelp: 'Het is van de server verwijderd, en de sleutel die het heeft geopend, uit deze browser.',
  shareInstead: 'Liever zelf een geheim delen',
  untitled: 'Verzoek',
  waiting: 'wacht op antwoord',
  waitingFor: (left) => `wacht op antwoord (verloopt over ${left})`,
  line: (what, state) => `${what} – ${state}. `,
  cancel: 'Annuleren',
  turnstile: 'Deze server controleert met Turnstile of je een mens bent, en dat ondersteunt de verzoekpagina nog niet. Gebruik hush request in een terminal.',
  linkWhat: 'Verzoeklink',
  secretWhat: 'Geheim',
};

export const respond: typeof En.respond = {
  title: 'Hush – iemand vraagt je om een geheim',
  h1: 'Iemand vraagt je om een geheim',
  lead: 'Wat je verstuurt, wordt in deze browser versleuteld voor de sleutel van de aanvrager: alleen die kan het openen, één keer.',
  checking: 'Verzoek controleren…',
  theirNote: 'Notitie van de aanvrager',
  noteNotEncrypted: '(niet versleuteld: de server kan die lezen)',
  expiresIn: (left) => `Het verzoek verloopt over ${left}.`,
  secretLabel: 'Geheim',
  send: 'Veilig versturen',
  sending: 'Versleutelen…',
  sent: 'Verstuurd. Het is versleuteld voor de sleutel van de aanvrager; alleen die kan het openen, één keer. Je kunt deze pagina sluiten.',
  ownLink: 'Zelf een geheim delen',
  mismatch:
    'Stop: de sleutel die deze server voor het verzoek geeft, komt niet overeen met de link. Misschien probeert iemand je antwoord te lezen. Er is niets verstuurd; laat het de aanvrager weten.',
  damaged: 'Deze verzoeklink is onvolledig of beschadigd: kopieer de hele link, inclusief het deel na ‘#’, en open hem opnieuw.',
  notAvailable: 'Dit verzoek is niet beschikbaar: het is beantwoord, geannuleerd of verlopen. Vraag de aanvrager om een nieuwe link.',
  answered: 'Dit verzoek is al beantwoord; het accepteert maar één antwoord.',
  empty: 'Schrijf eerst het geheim dat je wilt versturen.',
  goneMeanwhile: 'Dit verzoek is niet meer beschikbaar: het is intussen beantwoord, geannuleerd of verlopen.',
};

export const combine: typeof En.combine = {
  title: 'Hush – een verdeeld geheim openen',
  h1: 'Open een geheim dat over meerdere mensen is verdeeld',
  lead: 'De afzender heeft dit geheim verdeeld in deellinks, één voor elke houder: genoeg daarvan samen openen het. Voeg de deellinks hier een voor een toe. Ze blijven alleen op deze pagina, en er wordt niets verbruikt totdat je het geheim opent.',
  shareLabel: 'Deellink',
  shareHelp: 'Een link met één deel: \u2066…/s/…#share.…\u2069',
  add: 'Deel toevoegen',
  adding: 'Controleren…',
  sharesTitle: 'Toegevoegde delen',
  share: (n) => `Deel ${String(n)}`,
  remove: (n) => `Deel ${String(n)} verwijderen`,
  removeLabel: 'Verwijderen',
  progress: (have, need) => plural(need, { one: `${String(have)} van # benodigd deel.`, other: `${String(have)} van # benodigde delen.` }),
  ready: (need) =>
    plural(need, {
      one: 'Genoeg delen: als je het geheim opent, worden # deel en het geheim zelf verbruikt.',
      other: 'Genoeg delen: als je het geheim opent, worden # delen en het geheim zelf verbruikt.',
    }),
  passphraseHelp: 'De delen zijn beveiligd met een wachtwoordzin, die de afzender via een ander kanaal aan de houders heeft gegeven.',
  notShare: 'Dit is geen deellink. Een deellink eindigt op ‘#share.’ gevolgd door meer tekens; kopieer de hele link.',
  otherServer: 'Dit deel hoort bij een andere Hush-server: open het daar.',
  otherSecret: 'Dit deel hoort bij een ander verdeeld geheim dan de delen die je eerder hebt toegevoegd. Er is niets verbruikt.',
  duplicate: 'Dit deel is al toegevoegd.',
  shareGone: 'Dit deel kan niet meer worden geopend: het is gebruikt, verlopen of ingetrokken. Vraag het de afzender of een andere houder.',
  notEnough: 'Van de toegevoegde delen kunnen er niet genoeg meer worden geopend. Er is niets verbruikt.',
  mismatch: 'De delen passen niet bij elkaar: een ervan is beschadigd of hoort bij een ander geheim. Vraag het de afzender.',
  vaultGone: 'De delen passen bij elkaar, maar het geheim zelf kan niet meer worden geopend: het is gelezen, verlopen of ingetrokken.',
  opened: 'Het geheim is van de server verwijderd, en de delen die ervoor zijn gebruikt, zijn verbruikt. Alleen deze pagina toont het nog: kopieer het voordat je weggaat.',
  left: 'Het geheim is van deze pagina verwijderd toen je die verliet, en het is van de server verwijderd. Als je het niet hebt gekopieerd, vraag de afzender dan om het opnieuw te delen.',
};

export const mine: typeof En.mine = {
  title: 'Hush – mijn geheimen',
  h1: 'Mijn geheimen',
  lead: 'De geheimen die je hebt gedeeld terwijl je was ingelogd: of en wanneer ze zijn gelezen. Nooit hun inhoud of hun links.',
  share: 'Een geheim delen',
  created: (when) => `Gedeeld op ${when}`,
  expires: 'Verloopt',
  none: 'Je hebt nog geen geheim gedeeld terwijl je was ingelogd, of ze zijn allemaal verdwenen.',
  signIn: 'Log in om de geheimen te zien die je hebt gedeeld',
  noSignIn: 'Deze server heeft geen inlogfunctie: er is geen lijst van je geheimen. Elk geheim heeft zijn eigen beheerlink.',
};

export const notFound: typeof En.notFound = {
  title: 'Hush – niet gevonden',
  h1: 'Hier is niets',
  lead: 'Er is geen pagina op dit adres. Als je een link naar een geheim hebt gevolgd, kopieer dan de hele link die je hebt gekregen en open hem opnieuw.',
  share: 'Een geheim delen',
};

/** Keys ("section.key") whose text is identical to the English on purpose (a brand, a code word, a loan word). */
export const same: readonly string[] = ['create.ctrl', 'create.link'];
