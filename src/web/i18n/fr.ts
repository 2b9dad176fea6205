// Français (fr, France): vouvoiement, as every major product uses it. French spacing, written as escapes so it stays
// visible (and lint-clean in templates): \u00a0 (no-break space) before a colon, \u202f (narrow no-break space)
// before ; ? ! and inside « ».
// Same keys as en.ts (the types make a missing or extra key a compile error).
import type * as En from './en.js';
import { plural } from './plural.js';

export const common: typeof En.common = {
  tag: 'secrets à usage unique, chiffrés de bout en bout',
  language: 'Langue',
  copied: 'Copié ✓',
  pressCtrlC: 'Appuyez sur Ctrl+C pour copier',
  copiedAnnounce: (what) => `${what} copié dans le presse-papiers.`,
  selectedAnnounce: (what) => `${what} sélectionné\u00a0: appuyez sur Ctrl+C pour le copier.`,
  lessThanMinute: 'moins d’une minute',
  notAvailable: 'Ce secret n’est pas disponible. Il a déjà été lu, il a expiré ou le lien est incomplet. Demandez à l’expéditeur d’en partager un nouveau.',
  network: 'Impossible de joindre le serveur Hush. Vérifiez votre connexion et réessayez.',
  aMinute: 'une minute',
  rateLimited: (wait) => `Trop de tentatives depuis votre réseau. Réessayez dans ${wait}.`,
  wrongPassphrase: 'Phrase de passe incorrecte.',
  wrongPassphraseLeft: (n) =>
    `Phrase de passe incorrecte. ${plural(n, { one: 'Il reste # tentative', many: 'Il reste # de tentatives', other: 'Il reste # tentatives' })} avant la destruction du secret.`,
  wrongCodeLeft: (n) =>
    `Code incorrect ou expiré. ${plural(n, { one: 'Il reste # tentative', many: 'Il reste # de tentatives', other: 'Il reste # tentatives' })} avant la destruction du secret.`,
  codeRequired: 'Seules les personnes désignées par l’expéditeur peuvent ouvrir ce secret\u00a0: demandez d’abord qu’un code soit envoyé à votre adresse e-mail.',
  notYetAvailable: (when) => `Ce secret pourra être ouvert à partir du ${when}.`,
  badResponse: 'Le serveur a renvoyé une réponse que cette page ne comprend pas. Réessayez plus tard.',
  expired: (when) => `Ce secret a expiré le ${when}.`,
  unsupportedVersion: 'Ce secret a été créé par une version plus récente de Hush. Ouvrez-le avec une version à jour de Hush.',
  invalidLink: 'Ce lien est incomplet ou endommagé. Copiez le lien en entier, y compris la partie après «\u202f#\u202f», puis ouvrez-le à nouveau.',
  decryptionFailed: 'Impossible de déchiffrer ce secret\u00a0: le lien ou la phrase de passe est incorrect, ou les données sont endommagées.',
  unsafeParameters: 'Le serveur a envoyé des paramètres de phrase de passe que cette page refuse d’utiliser. Demandez à l’expéditeur de partager un nouveau lien.',
  somethingWrong: 'Un problème est survenu. Rechargez la page et réessayez.',
};

// The create page's messages, the largest section, live in fr-create.ts.
export { create } from './fr-create.js';

export const open: typeof En.open = {
  title: 'Hush — un secret pour vous',
  h1: 'Quelqu’un a partagé un secret avec vous',
  passphrase: 'Phrase de passe',
  reveal: 'Révéler le secret',
  secretTitle: 'Le secret',
  secret: 'Secret',
  copy: 'Copier le secret',
  own: 'Partager un secret à votre tour',
  decrypting: 'Déchiffrement…',
  checking: 'Vérification de la phrase de passe…',
  enterPassphrase: 'Saisissez la phrase de passe que l’expéditeur vous a donnée.',
  files: 'Fichiers',
  filesNote: 'Chaque fichier est téléchargé tel qu’il a été envoyé\u202f; cette page ne l’ouvre jamais. N’ouvrez les fichiers que si vous faites confiance à l’expéditeur.',
};

export const reveal: typeof En.reveal = {
  intro: 'Il est chiffré\u202f; la clé se trouve dans votre lien. Lorsque vous le révélez, il est déchiffré dans ce navigateur et supprimé du serveur\u00a0: copiez-le donc en lieu sûr.',
  passphraseHelp: 'L’expéditeur a protégé ce secret par une phrase de passe et devrait vous l’avoir communiquée par un autre moyen.',
  expiresIn: (remaining) => `Expire dans ${remaining}.`,
  once: 'Il ne peut être ouvert qu’une seule fois.',
  moreTimes: (n) => `Il peut encore être ouvert ${plural(n, { one: '# fois', many: '# de fois', other: '# fois' })}.`,
  notBefore: (when) => `L’expéditeur l’a rendu disponible à partir du ${when}\u202f; il ne peut pas être ouvert avant.`,
  deleted: 'Il vient d’être supprimé du serveur\u202f; cette page est le seul endroit où il s’affiche. Copiez-le avant de partir.',
  moreWithLink: (n) => `Il peut encore être ouvert ${plural(n, { one: '# fois', many: '# de fois', other: '# fois' })} avec le même lien.`,
  ageKey: 'Ce secret est chiffré pour votre propre clé age\u00a0: ouvrez-le avec «\u202fhush open --identity FILE\u202f».',
  ageLink: 'L’ouvrir ici avec votre fichier d’identité age',
  combineLink: 'L’ouvrir avec les autres parts',
  shareKey: 'Ce lien est une part d’un secret réparti entre plusieurs personnes\u00a0: il ne s’ouvre qu’avec suffisamment d’autres parts, à l’aide de «\u202fhush combine LINK…\u202f». Rien n’a été consommé.',
  badKey: 'Ce lien est incomplet\u00a0: la clé après «\u202f#\u202f» est manquante ou endommagée. Copiez le lien complet que vous avez reçu et ouvrez-le à nouveau.',
  burned: 'Phrase de passe incorrecte et plus aucune tentative restante\u00a0: le secret a été détruit. Demandez à l’expéditeur de le partager à nouveau.',
  burnedCode: 'Code incorrect et plus aucune tentative restante\u00a0: le secret a été détruit. Demandez à l’expéditeur de le partager à nouveau.',
  restricted:
    'Seules les personnes désignées par l’expéditeur peuvent ouvrir ce secret. Saisissez votre adresse e-mail\u00a0: si l’expéditeur l’a indiquée, un code y sera envoyé.',
  email: 'Votre adresse e-mail',
  sendCode: 'M’envoyer un code',
  sendNewCode: 'Envoyer un nouveau code',
  sending: 'Envoi…',
  codeSent: (address) =>
    `Si l’expéditeur a indiqué ${address}, un code est en route vers cette adresse. Cela peut prendre une minute\u202f; pensez à vérifier aussi le dossier des spams.`,
  enterEmail: 'Saisissez votre adresse e-mail.',
  signIn: 'Ou connectez-vous ici avec l’adresse indiquée par l’expéditeur\u00a0: le code arrive alors sur cette page (nouvel onglet)',
  codeGiven: (address) => `Vous êtes connecté en tant que ${address}\u00a0: le code a été saisi.`,
  notRecipient: (address) => `Vous êtes connecté en tant que ${address}, adresse que l’expéditeur n’a pas indiquée\u00a0: ce secret ne lui est pas destiné.`,
  code: 'Code reçu par e-mail',
  codeHelp: 'Six chiffres, valable 10 minutes et pour une seule ouverture. Les codes erronés comptent\u00a0: au bout de 5, le secret est détruit.',
  enterCode: 'Saisissez le code à six chiffres reçu par e-mail.',
  leftDeleted:
    'Le secret a été retiré de cette page quand vous l’avez quittée, et il a été supprimé du serveur. Si vous ne l’avez pas copié, demandez à l’expéditeur de le partager à nouveau.',
  leftMore: (n) =>
    `Le secret a été retiré de cette page quand vous l’avez quittée. Il peut encore être ouvert ${plural(n, { one: '# fois', many: '# de fois', other: '# fois' })} avec le lien que vous avez reçu.`,
};

export const stateless: typeof En.stateless = {
  intro: 'Ceci est un lien sans état\u00a0: le secret chiffré se trouve dans le lien lui-même. Cette page le déchiffre dans votre navigateur et n’envoie rien au serveur.',
  note: 'Un lien sans état ne peut être ni révoqué ni limité à une seule lecture — toute personne qui détient le lien peut l’ouvrir jusqu’à son expiration — et cette expiration est appliquée par votre navigateur, pas par un serveur.',
  passphraseHelp: 'Ce lien ne s’ouvre qu’avec la phrase de passe que l’expéditeur vous a communiquée par un autre moyen.',
  noExpiry: 'Ce lien n’expire pas.',
  validFor: (remaining) => `Ce lien reste valable encore ${remaining}\u202f; d’ici là, toute personne qui le détient peut l’ouvrir.`,
  damaged: 'Ce lien est incomplet ou endommagé\u00a0: copiez le lien en entier, y compris la partie après «\u202f#\u202f», puis ouvrez-le à nouveau.',
  wrong: 'La phrase de passe est incorrecte ou le lien est endommagé. Vérifiez la phrase de passe et réessayez.',
  left: 'Le secret a été retiré de cette page quand vous l’avez quittée. Rouvrez le lien que vous avez reçu pour le lire.',
};

export const manage: typeof En.manage = {
  title: 'Hush — votre secret partagé',
  h1: 'Votre secret partagé',
  lead: 'Cette page est destinée à l’expéditeur. Elle indique si le secret a été lu et vous permet de le révoquer. Elle ne peut pas afficher le secret lui-même.',
  state: 'État',
  opensFor: 'Accessible à',
  onlyNamed: 'Uniquement les personnes que vous avez indiquées, avec un code envoyé par e-mail',
  viewsLeft: 'Accès restants',
  expires: 'Expiration',
  expired: 'Expiré',
  keptUntil: 'Données conservées jusqu’au',
  live: 'Cette page se met à jour automatiquement tant que le secret est en attente.',
  revoke: 'Révoquer maintenant',
  refresh: 'Actualiser',
  confirm: 'Révoquer ce secret\u202f? Son texte chiffré est effacé immédiatement et le lien cesse de fonctionner. Cette action est irréversible.',
  yes: 'Oui, révoquer',
  no: 'Le conserver',
  another: 'Partager un autre secret',
  revoking: 'Révocation…',
  pending: 'En attente — pas encore lu',
  consumed: 'Lu',
  expiredUnread: 'Expiré sans avoir été lu',
  revoked: 'Révoqué par vous',
  burned: 'Détruit après trop d’échecs (phrase de passe ou code)',
  openedLast: (when) => `Ouvert, pour la dernière fois le ${when}`,
  stateOn: (state, when) => `${state} le ${when}`,
  expiresIn: (when, remaining) => `${when} (dans ${remaining})`,
  unknown:
    'Aucune information sur ce secret\u00a0: le lien de gestion est incorrect, ou ses données n’existent plus. Elles sont conservées jusqu’à l’expiration du secret\u202f; sur les serveurs qui tiennent un historique, celui-ci est conservé quelque temps après la disparition du secret.',
  incomplete: 'Ce lien de gestion est incomplet\u00a0: la partie après «\u202f#\u202f» est manquante. Ouvrez le lien de gestion complet que vous avez conservé.',
  setToExpire: 'Expiration prévue',
  history: 'Historique',
  historyHelp:
    'Les applications de messagerie instantanée et les filtres de courrier ouvrent souvent les liens d’eux-mêmes, pour afficher un aperçu ou y rechercher des logiciels malveillants. Le secret n’est pas lu pour autant\u00a0: il ne l’est que lorsqu’on le révèle.',
  onlyMachines: (n) =>
    plural(n, {
      one: 'Le lien a été ouvert # fois par un aperçu de lien ou un scanner, mais personne n’a encore lu le secret.',
      many: 'Le lien a été ouvert # de fois par des aperçus de liens ou des scanners, mais personne n’a encore lu le secret.',
      other: 'Le lien a été ouvert # fois par des aperçus de liens ou des scanners, mais personne n’a encore lu le secret.',
    }),
  onlyMachinesEnded: (n) =>
    plural(n, {
      one: 'Le lien a été ouvert # fois par un aperçu de lien ou un scanner, mais personne n’a lu le secret.',
      many: 'Le lien a été ouvert # de fois par des aperçus de liens ou des scanners, mais personne n’a lu le secret.',
      other: 'Le lien a été ouvert # fois par des aperçus de liens ou des scanners, mais personne n’a lu le secret.',
    }),
  readByMachine: 'Il a été lu par un client automatisé, et non par une personne dans un navigateur. Si le destinataire ne l’a pas reçu, partagez à nouveau le secret.',
  dropped: (n) =>
    plural(n, {
      one: '… et # autre événement que le serveur n’a pas conservé.',
      many: '… et # d’autres événements que le serveur n’a pas conservés.',
      other: '… et # autres événements que le serveur n’a pas conservés.',
    }),
  evCreated: (by) => `Créé ${by}`,
  evOpened: (by) => `Lien ouvert ${by}, secret non lu`,
  evRead: (by) => `Lu ${by}`,
  evPassphraseFailed: (by) => `Tentative avec une phrase de passe incorrecte ${by}`,
  evRevoked: (by) => `Révoqué ${by}`,
  evOther: (type, by) => `Événement «\u202f${type}\u202f» ${by}`,
  byBrowser: 'dans un navigateur',
  byLinkPreview: 'par un aperçu de lien',
  byScanner: 'par un scanner automatique',
  byCli: 'avec la CLI hush',
  byApi: 'via l’API',
  byUnknown: 'par un client inconnu',
  byOther: (kind) => `par un client de type «\u202f${kind}\u202f»`,
  sharesTitle: 'Parts',
  sharesHelp: 'Les parts utilisées vous indiquent qui a participé à l’ouverture du secret. Révoquer le secret ci-dessus met fin à la répartition\u202f; révoquer une part laisse les autres intactes.',
  shareState: (i, n, state) => `Part ${String(i)} sur ${String(n)}\u00a0: ${state}`,
  shareUnknown: 'le serveur ne la connaît plus (ses données ont été supprimées)',
};

export const request: typeof En.request = {
  title: 'Hush — demander un secret',
  h1: 'Demander un secret à quelqu’un',
  lead: 'Hush génère une paire de clés dans ce navigateur et un lien à envoyer. La réponse de l’autre personne est chiffrée pour votre clé\u00a0: seul ce navigateur peut l’ouvrir — ni le serveur, ni quiconque voit le lien.',
  noteLabel: 'Note pour l’expéditeur',
  optional: '(facultatif)',
  noteHelp1: 'Par exemple «\u202fla clé API de préproduction, s’il vous plaît\u202f». La note ',
  notEncrypted: 'n’est pas chiffrée',
  noteHelp2: '\u00a0: le serveur peut la lire. N’y mettez jamais de secret.',
  ttlLabel: 'La demande expire après',
  hour1: '1 heure',
  hours24: '24 heures',
  days7: '7 jours',
  make: 'Créer le lien de demande',
  making: 'Création de la clé…',
  madeTitle: 'Envoyez ce lien à la personne qui détient le secret',
  linkLabel: 'Lien de demande',
  copy: 'Copier',
  keepOpen: 'Laissez cette page ouverte, ou revenez à cette adresse dans ce navigateur\u00a0: la réponse ne peut être déchiffrée qu’ici.',
  pendingTitle: 'Vos demandes',
  answerTitle: 'Le secret que vous avez demandé',
  secretLabel: 'Secret',
  answerHelp: 'Il a été supprimé du serveur, et la clé qui l’a ouvert, de ce navigateur.',
  shareInstead: 'Partager plutôt un secret',
  untitled: 'Demande',
  waiting: 'en attente de réponse',
  waitingFor: (left) => `en attente de réponse (expire dans ${left})`,
  line: (what, state) => `${what} — ${state}. `,
  cancel: 'Annuler',
  turnstile: 'Ce serveur utilise Turnstile pour vérifier que vous êtes un humain, ce que la page de demande ne prend pas encore en charge. Utilisez hush request dans un terminal.',
  linkWhat: 'Lien de demande',
  secretWhat: 'Secret',
};

export const respond: typeof En.respond = {
  title: 'Hush — quelqu’un vous demande un secret',
  h1: 'Quelqu’un vous demande un secret',
  lead: 'Ce que vous envoyez est chiffré dans ce navigateur pour la clé du demandeur\u00a0: seule cette personne peut l’ouvrir, une seule fois.',
  checking: 'Vérification de la demande…',
  theirNote: 'Sa note',
  noteNotEncrypted: '(non chiffrée\u00a0: le serveur peut la lire)',
  expiresIn: (left) => `La demande expire dans ${left}.`,
  secretLabel: 'Secret',
  send: 'Envoyer en toute sécurité',
  sending: 'Chiffrement…',
  sent: 'Envoyé. Il est chiffré pour la clé du demandeur\u202f; seule cette personne peut l’ouvrir, une seule fois. Vous pouvez fermer cette page.',
  ownLink: 'Partager un secret à votre tour',
  mismatch:
    'Attention\u00a0: la clé fournie par ce serveur pour cette demande ne correspond pas au lien. Quelqu’un essaie peut-être de lire votre réponse. Rien n’a été envoyé\u202f; prévenez le demandeur.',
  damaged: 'Ce lien de demande est incomplet ou endommagé\u00a0: copiez le lien en entier, y compris la partie après «\u202f#\u202f», puis ouvrez-le à nouveau.',
  notAvailable: 'Cette demande n’est pas disponible\u00a0: elle a reçu une réponse, a été annulée ou a expiré. Demandez un nouveau lien au demandeur.',
  answered: 'Cette demande a déjà reçu une réponse\u202f; elle n’en accepte qu’une seule.',
  empty: 'Saisissez d’abord le secret à envoyer.',
  goneMeanwhile: 'Cette demande n’est plus disponible\u00a0: entre-temps, elle a reçu une réponse, a été annulée ou a expiré.',
};

export const combine: typeof En.combine = {
  title: 'Hush — ouvrir un secret réparti',
  h1: 'Ouvrir un secret réparti entre plusieurs personnes',
  lead: 'L’expéditeur a divisé ce secret en liens de part, un pour chaque détenteur\u00a0: un nombre suffisant d’entre eux permet de l’ouvrir. Ajoutez ici les liens de part un par un. Ils restent uniquement dans cette page, et rien n’est consommé tant que vous n’avez pas ouvert le secret.',
  shareLabel: 'Lien de part',
  shareHelp: 'Un lien qui contient une part\u00a0: \u2066…/s/…#share.…\u2069',
  add: 'Ajouter',
  adding: 'Vérification…',
  sharesTitle: 'Parts ajoutées',
  share: (n) => `Part ${String(n)}`,
  remove: (n) => `Retirer la part ${String(n)}`,
  removeLabel: 'Retirer',
  progress: (have, need) =>
    plural(need, {
      one: `${String(have)} sur # part nécessaire.`,
      many: `${String(have)} sur # de parts nécessaires.`,
      other: `${String(have)} sur # parts nécessaires.`,
    }),
  ready: (need) =>
    plural(need, {
      one: 'Parts suffisantes\u00a0: ouvrir le secret consommera # part, ainsi que le secret lui-même.',
      many: 'Parts suffisantes\u00a0: ouvrir le secret consommera # d’entre elles, ainsi que le secret lui-même.',
      other: 'Parts suffisantes\u00a0: ouvrir le secret consommera # d’entre elles, ainsi que le secret lui-même.',
    }),
  passphraseHelp: 'Les parts sont protégées par une phrase de passe, que l’expéditeur a communiquée à leurs détenteurs par un autre moyen.',
  notShare: 'Ce n’est pas un lien de part. Un lien de part se termine par «\u202f#share.\u202f» suivi d’autres caractères\u202f; copiez le lien en entier.',
  otherServer: 'Cette part appartient à un autre serveur Hush\u00a0: ouvrez-la sur ce serveur-là.',
  otherSecret: 'Cette part appartient à un autre secret réparti que les parts ajoutées jusqu’ici. Rien n’a été consommé.',
  duplicate: 'Cette part a déjà été ajoutée.',
  shareGone: 'Cette part ne peut plus être ouverte\u00a0: elle a été utilisée, a expiré ou a été révoquée. Adressez-vous à l’expéditeur ou à un autre détenteur.',
  notEnough: 'Trop peu des parts ajoutées peuvent encore être ouvertes. Rien n’a été consommé.',
  mismatch: 'Les parts ne concordent pas\u00a0: l’une d’elles est endommagée ou appartient à un autre secret. Adressez-vous à l’expéditeur.',
  vaultGone: 'Les parts concordent, mais le secret lui-même ne peut plus être ouvert\u00a0: il a été lu, a expiré ou a été révoqué.',
  opened: 'Le secret a été supprimé du serveur, et les parts utilisées pour l’ouvrir sont consommées. Cette page est le seul endroit où il s’affiche\u00a0: copiez-le avant de partir.',
  left: 'Le secret a été retiré de cette page quand vous l’avez quittée, ainsi que du serveur. Si vous ne l’avez pas copié, demandez à l’expéditeur de le partager à nouveau.',
};

/** The age page (/a): a secret whose link key is wrapped to the reader's age key, unwrapped with their identity file (docs/protocol.md §14). */
export const age: typeof En.age = {
  title: 'Hush — un secret pour votre clé age',
  h1: 'Un secret chiffré pour votre clé age',
  lead: 'Seule votre identité age ouvre ce secret. Choisissez votre fichier d’identité\u00a0: cette page le lit et déchiffre la clé du secret, et le fichier ne quitte jamais votre appareil. Rien n’est envoyé ni consommé tant que vous n’avez pas révélé le secret sur la page suivante.',
  identityLabel: 'Votre fichier d’identité age',
  identityHelp: 'Le fichier créé par age-keygen, avec une ligne commençant par «\u202fAGE-SECRET-KEY-1\u202f».',
  unlock: 'Déverrouiller avec ce fichier',
  unlocking: 'Déverrouillage…',
  cli: 'Dans un terminal, «\u202fhush open --identity FILE\u202f» ouvre aussi ce type de lien.',
  noLink: 'Il n’y a ici aucun lien à ouvrir. Ouvrez le lien que vous avez reçu\u00a0: sa page mène ici.',
  notAgeLink: 'Ce n’est pas le lien d’un secret chiffré pour une clé age, ou il est endommagé. Copiez le lien complet que vous avez reçu et ouvrez-le à nouveau.',
  otherServer: 'Ce secret appartient à un autre serveur Hush\u00a0: ouvrez son lien sur ce serveur-là.',
  chooseFile: 'Choisissez d’abord votre fichier d’identité age.',
  notIdentity: 'Ce fichier ne contient aucune identité age. Choisissez le fichier créé par age-keygen (avec une ligne commençant par «\u202fAGE-SECRET-KEY-1\u202f»), pas la clé publique. Rien n’a été consommé.',
  wrongIdentity: 'Cette identité n’ouvre pas ce secret\u00a0: il a été chiffré pour une autre clé age. Choisissez un autre fichier d’identité. Rien n’a été consommé.',
  passphraseProtected: 'Ce fichier d’identité est protégé par une phrase de passe et cette page ne peut pas l’ouvrir\u00a0: utilisez «\u202fhush open --identity FILE\u202f», ou déchiffrez d’abord le fichier avec «\u202fage -d\u202f». Rien n’a été consommé.',
  ssh: 'Ceci est une clé SSH. Les secrets ne sont chiffrés que pour des clés age\u00a0: choisissez votre fichier d’identité age. Rien n’a été consommé.',
  postQuantum: 'Les identités age post-quantiques («\u202fAGE-SECRET-KEY-PQ-1…\u202f») ne s’ouvrent qu’avec «\u202fhush open --identity FILE\u202f», pas dans le navigateur. Rien n’a été consommé.',
  plugin: 'Les identités de plugin («\u202fAGE-PLUGIN-…\u202f») ne sont pas prises en charge. Rien n’a été consommé.',
  damaged: 'Le fichier age contenu dans ce lien est endommagé. Copiez le lien complet que vous avez reçu et ouvrez-le à nouveau. Rien n’a été consommé.',
  left: 'Le lien a été retiré de cette page quand vous l’avez quittée. Rouvrez le lien que vous avez reçu.',
};

export const mine: typeof En.mine = {
  title: 'Hush — mes secrets',
  h1: 'Mes secrets',
  lead: 'Les secrets que vous avez partagés en étant connecté\u00a0: s’ils ont été lus, et quand. Jamais leur contenu ni leurs liens.',
  share: 'Partager un secret',
  created: (when) => `Partagé le ${when}`,
  expires: 'Expiration',
  none: 'Vous n’avez encore partagé aucun secret en étant connecté, ou ils ont tous disparu.',
  signIn: 'Connectez-vous pour voir les secrets que vous avez partagés',
  noSignIn: 'Ce serveur n’a pas de connexion\u00a0: il n’existe donc pas de liste de vos secrets. Chaque secret a son propre lien de gestion.',
};

export const notFound: typeof En.notFound = {
  title: 'Hush — page introuvable',
  h1: 'Il n’y a rien ici',
  lead: 'Aucune page n’existe à cette adresse. Si vous avez suivi un lien vers un secret, copiez le lien complet que vous avez reçu et ouvrez-le à nouveau.',
  share: 'Partager un secret',
};

/** Keys ("section.key") whose text is identical to the English on purpose: "Secret" is the French word too, and "Ctrl" as French keyboards print it. */
export const same: readonly string[] = ['create.ctrl', 'create.secret', 'open.secret', 'request.secretLabel', 'request.secretWhat', 'respond.secretLabel'];
