// Word lists for the SYNTHETIC demo register: fictional, Swedish-sounding business names, people's
// names for sole traders and street names. Compound place-like words ("Stormvik", "Rönnbacken")
// are made up from parts; no list contains a brand or a well-known company name. Every string here
// must be Latin-1 (the SCB bulk format is ISO-8859-1): no dashes other than '-', no curly quotes.
import type { Rng } from './random.js'

export const FIRST_NAMES = [
  'Anna', 'Eva', 'Maria', 'Karin', 'Sara', 'Lena', 'Kerstin', 'Emma', 'Ingrid', 'Linnea', 'Elin', 'Johanna',
  'Sofia', 'Malin', 'Ida', 'Hanna', 'Julia', 'Frida', 'Klara', 'Maja', 'Elsa', 'Astrid', 'Ebba', 'Moa', 'Tove',
  'Lisa', 'Petra', 'Camilla', 'Jenny', 'Sanna', 'Agnes', 'Stina', 'Vera', 'Siri', 'Leila', 'Yasmin', 'Aino',
  'Helena', 'Annika', 'Therese', 'Louise', 'Cecilia', 'Marie', 'Nora', 'Alva', 'Tilda', 'Ronja', 'Amira',
  'Erik', 'Lars', 'Karl', 'Anders', 'Johan', 'Per', 'Nils', 'Mikael', 'Jan', 'Hans', 'Oskar', 'Gustav', 'Axel',
  'Emil', 'Olof', 'Fredrik', 'Henrik', 'Viktor', 'Jonas', 'Magnus', 'Daniel', 'Isak', 'Hugo', 'Ali', 'Omar',
  'Sami', 'Ahmed', 'Mikko', 'Niklas', 'Amir', 'Linus', 'Albin', 'Elias', 'Ludvig', 'Sebastian', 'Tobias',
  'Mattias', 'Patrik', 'Stefan', 'Ulf', 'Bengt', 'Göran', 'Björn', 'Joel', 'Filip', 'Arvid', 'Melker', 'Tor',
]
export const LAST_NAMES = [
  'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson',
  'Gustafsson', 'Pettersson', 'Jonsson', 'Jansson', 'Hansson', 'Bengtsson', 'Jönsson', 'Lindberg', 'Jakobsson',
  'Magnusson', 'Olofsson', 'Lindström', 'Lindqvist', 'Lindgren', 'Berg', 'Axelsson', 'Bergström', 'Lundberg',
  'Lind', 'Lundgren', 'Lundqvist', 'Mattsson', 'Berglund', 'Fredriksson', 'Sandberg', 'Henriksson', 'Forsberg',
  'Sjöberg', 'Wallin', 'Engström', 'Eklund', 'Danielsson', 'Lundin', 'Håkansson', 'Björk', 'Bergman',
  'Gunnarsson', 'Holm', 'Wikström', 'Samuelsson', 'Isaksson', 'Fransson', 'Bergqvist', 'Nyström', 'Holmberg',
  'Arvidsson', 'Löfgren', 'Söderberg', 'Nyberg', 'Blomqvist', 'Claesson', 'Nordström', 'Mårtensson',
  'Lundström', 'Viklund', 'Björklund', 'Eliasson', 'Pålsson', 'Berggren', 'Sandström', 'Nordin', 'Ström',
  'Åberg', 'Hermansson', 'Ekström', 'Holmgren', 'Sundberg', 'Hedlund', 'Dahlberg', 'Sjögren', 'Falk',
  'Martinsson', 'Öberg', 'Andreasson', 'Strömberg', 'Månsson', 'Åkesson', 'Nordqvist', 'Lindholm', 'Dahl',
  'Jonasson', 'Hassan', 'Ali', 'Virtanen', 'Korhonen', 'Kaya', 'Yilmaz', 'Nguyen', 'Rahimi', 'Novak',
]
const PLACE_HEAD = [
  'Norr', 'Sö', 'Väst', 'Öst', 'Kvarn', 'Björk', 'Ek', 'Gran', 'Lind', 'Sten', 'Sjö', 'Ljung', 'Häll', 'Fjäll',
  'Myr', 'Hav', 'Mån', 'Sol', 'Storm', 'Dimm', 'Rim', 'Glim', 'Silver', 'Koppar', 'Järn', 'Tall', 'Rönn',
  'Al', 'Asp', 'Lönn', 'Vide', 'Hassel', 'Ugg', 'Räv', 'Lo', 'Korp', 'Trast', 'Svale', 'Tärn', 'Orm', 'Vind',
  'Snö', 'Is', 'Ljus', 'Skymnings', 'Gryning', 'Hägg', 'Fläder', 'Kastanj', 'Mossa', 'Lav', 'Blåbärs',
]
const PLACE_TAIL = [
  'sken', 'by', 'vik', 'lid', 'dal', 'backen', 'haga', 'sjön', 'udden', 'holmen', 'näs', 'ås', 'berga', 'mo',
  'ljus', 'bris', 'gläntan', 'stigen', 'strand', 'kulla', 'torp', 'gården', 'fors', 'kärr', 'hult', 'ryd',
  'tuna', 'sund', 'viken', 'ängen', 'klinten', 'hamn',
]
const CREATIVE_HEAD = ['Pixel', 'Ljud', 'Bild', 'Ton', 'Färg', 'Form', 'Ord', 'Klang', 'Ljus', 'Skugg', 'Penn',
  'Ram', 'Scen', 'Rytm', 'Bläck', 'Lins', 'Pensel', 'Noter', 'Tråd', 'Lera', 'Glas', 'Silver', 'Kamera', 'Eko']
const CREATIVE_TAIL = ['grottan', 'verket', 'fabriken', 'smedjan', 'huset', 'rummet', 'labbet', 'boden',
  'kammaren', 'verkstaden', 'ateljén', 'skafferiet', 'kontoret', 'vinden', 'källaren', 'kupan']
const STREET_HEAD = [
  'Kyrko', 'Skol', 'Stor', 'Lill', 'Kvarn', 'Järnvägs', 'Hamn', 'Torg', 'Park', 'Björk', 'Ek', 'Lind', 'Ängs',
  'Berg', 'Sjö', 'Strand', 'Bruks', 'Smedje', 'Mejeri', 'Post', 'Gjuteri', 'Präst', 'Tull', 'Rådhus',
  'Trädgårds', 'Fabriks', 'Verkstads', 'Backe', 'Slätt', 'Ros', 'Lilje', 'Syren', 'Fläder', 'Hassel', 'Rönn',
  'Tall', 'Gran', 'Asp', 'Sälg', 'Lärk', 'Vallmo', 'Klöver', 'Blåklint', 'Humle', 'Måns', 'Per Olofs',
  'Stations', 'Villa', 'Skogs', 'Åker', 'Mosse', 'Fyr', 'Båtsmans', 'Ryttar', 'Tegel', 'Kalk',
]
const STREET_TAIL = ['gatan', 'vägen', 'vägen', 'gatan', 'stigen', 'gränd', 'backen', 'allén', 'torget', 'gången', 'leden', 'platsen']

/** Business words by SNI code prefix (longest prefix wins). [AB/HB words, sole-trader words] */
const BRANCH_WORDS: Array<[string, string[]]> = [
  ['71110', ['Arkitekter', 'Arkitektkontor', 'Arkitektur']],
  ['58210', ['Spelstudio', 'Games', 'Interaktiva', 'Spel']],
  ['5911', ['Film', 'Filmproduktion', 'Bild & Rörligt', 'Media']],
  ['5912', ['Postproduktion', 'Klipp & Färg', 'Film']],
  ['5913', ['Filmdistribution', 'Film']], ['5914', ['Bio', 'Biograf']],
  ['592', ['Ljud', 'Ljudstudio', 'Musik', 'Skivor', 'Inspelning']],
  ['182', ['Ljud', 'Press']], ['4763', ['Skivor', 'Musik & Film']],
  ['601', ['Radio', 'Ljudmedia']], ['602', ['TV', 'Media']],
  ['74101', ['Design', 'Formgivning', 'Produktdesign']], ['74103', ['Inredning', 'Interiör', 'Design']],
  ['74102', ['Grafisk Form', 'Design', 'Formbyrå', 'Grafik']],
  ['742', ['Foto', 'Fotografi', 'Bildbyrå']],
  ['91011', ['Bibliotek']], ['91012', ['Arkiv']], ['91020', ['Museum', 'Samlingar']], ['91030', ['Kulturarv', 'Hembygdsgård']],
  ['5811', ['Förlag', 'Bokförlag', 'Böcker']], ['5813', ['Tidning', 'Nyheter']], ['5814', ['Tidskrift', 'Magasin']],
  ['5819', ['Förlag', 'Utgivning']], ['6391', ['Nyhetsbyrå', 'Press']],
  ['181', ['Tryckeri', 'Tryck', 'Bokbinderi']], ['4761', ['Bokhandel', 'Böcker']], ['4762', ['Tidningar', 'Press & Papper']],
  ['47783', ['Galleri', 'Konsthandel']], ['74300', ['Översättningar', 'Språktjänst', 'Tolk & Text']],
  ['90030', ['Ateljé', 'Konst', 'Text & Ton', 'Bildkonst', 'Keramik']],
  ['90010', ['Scen', 'Teater', 'Dans', 'Musik', 'Kompani', 'Ensemble']],
  ['90020', ['Scenteknik', 'Ljus & Scen', 'Produktion', 'Turné']], ['90040', ['Teater', 'Scenhus', 'Konsertsal']],
  ['14', ['Mode', 'Kläder', 'Skrädderi', 'Textil', 'Sömnad']], ['15', ['Läder', 'Skomakeri', 'Väskor']],
  ['3212', ['Smycken', 'Guldsmide', 'Silversmide']], ['3213', ['Bijouterier', 'Smycken']], ['32200', ['Instrument', 'Gitarrbyggeri', 'Orgelbyggeri']],
  ['731', ['Reklam', 'Reklambyrå', 'Kommunikation', 'Annonsbyrå', 'Media']],
  ['8552', ['Musikskola', 'Dansskola', 'Kulturkurser', 'Teaterskola']], ['77220', ['Video', 'Filmuthyrning']],
  ['01', ['Lantbruk', 'Gård', 'Jordbruk', 'Odling']], ['014', ['Gård', 'Djurhållning', 'Lantbruk']],
  ['02', ['Skog', 'Skogsvård', 'Skogstjänst']], ['03', ['Fiske', 'Fisk']],
  ['0', ['Grus', 'Bergtäkt', 'Sten']], ['10', ['Bageri', 'Charkuteri', 'Livs', 'Mejeri']], ['11', ['Bryggeri', 'Dryck']],
  ['16', ['Snickeri', 'Trä', 'Såg']], ['2', ['Industri', 'Produktion', 'Plast', 'Mekaniska']], ['25', ['Mekaniska', 'Smide', 'Plåt']],
  ['28', ['Maskin', 'Industri']], ['31', ['Möbler', 'Snickeri']], ['33', ['Service', 'Industriservice', 'Reparation']],
  ['3', ['Produktion', 'Tillverkning']], ['35', ['Energi', 'Kraft']], ['36', ['Vatten', 'Miljö']], ['37', ['Miljö', 'Avlopp']], ['38', ['Miljö', 'Återvinning']], ['39', ['Sanering', 'Miljö']],
  ['41', ['Bygg', 'Byggnads', 'Hus']], ['42', ['Anläggning', 'Mark', 'Schakt']],
  ['432', ['El', 'VVS', 'Rör', 'Installation']], ['433', ['Måleri', 'Golv', 'Bygg & Montage', 'Snickeri']],
  ['439', ['Tak', 'Bygg', 'Plåt']], ['43', ['Bygg', 'Mark', 'Montage']],
  ['45', ['Bil', 'Motor', 'Bilverkstad', 'Däck']], ['46', ['Handel', 'Trading', 'Partihandel', 'Import']],
  ['47', ['Butik', 'Handel', 'Boden', 'Shop']], ['49', ['Åkeri', 'Transport', 'Taxi', 'Frakt']],
  ['50', ['Båt', 'Sjötransport']], ['52', ['Logistik', 'Lager']], ['53', ['Bud', 'Kurir']],
  ['55', ['Hotell', 'Pensionat', 'Vandrarhem', 'Stugor']], ['56', ['Restaurang', 'Café', 'Pizzeria', 'Kök', 'Bistro']],
  ['58', ['Förlag', 'Data']], ['61', ['Telekom', 'Nät']], ['62', ['IT', 'Data', 'Systemutveckling', 'Tech', 'Mjukvara']],
  ['63', ['Data', 'Information']], ['64', ['Invest', 'Holding', 'Förvaltning', 'Kapital']], ['65', ['Försäkring']],
  ['66', ['Finans', 'Rådgivning']], ['68', ['Fastigheter', 'Förvaltning', 'Fastighets']],
  ['691', ['Juridik', 'Advokatbyrå']], ['692', ['Redovisning', 'Bokföring', 'Ekonomi']],
  ['70', ['Konsult', 'Management', 'Rådgivning', 'Utveckling']], ['71', ['Teknik', 'Ingenjörer', 'Konsult', 'Projektering']],
  ['72', ['Forskning', 'Labb']], ['73', ['Analys', 'Marknad']], ['74', ['Tjänster', 'Konsult']], ['75', ['Veterinär', 'Djurklinik']],
  ['77', ['Uthyrning', 'Maskinuthyrning']], ['78', ['Bemanning', 'Personal']], ['79', ['Resor', 'Turism']],
  ['80', ['Säkerhet', 'Bevakning']], ['812', ['Städ', 'Städservice', 'Puts']], ['813', ['Trädgård', 'Grönyta']],
  ['81', ['Fastighetsservice', 'Service']], ['82', ['Kontorstjänst', 'Service', 'Event']],
  ['85', ['Utbildning', 'Kurser', 'Akademi']], ['86', ['Vård', 'Klinik', 'Tandvård', 'Hälsa']], ['8690', ['Fysioterapi', 'Hälsa', 'Terapi']],
  ['87', ['Omsorg', 'Boende']], ['88', ['Omsorg', 'Assistans']], ['91', ['Park', 'Natur']], ['92', ['Spel']],
  ['93', ['Idrott', 'Sport', 'Gym', 'Träning']], ['94', ['Förening']], ['95', ['Reparation', 'Service']],
  ['9602', ['Frisör', 'Hudvård', 'Salong']], ['96', ['Service', 'Tvätt', 'Hälsa']],
]
const BRANCH_BY_PREFIX = new Map(BRANCH_WORDS)

export function branchWords (code: string): string[] {
  for (let len = code.length; len >= 1; len--) {
    const w = BRANCH_BY_PREFIX.get(code.slice(0, len))
    if (w) return w
  }
  return ['Tjänster']
}

export function placeWord (rng: Rng): string {
  return rng.pick(PLACE_HEAD) + rng.pick(PLACE_TAIL)
}

export function creativeWord (rng: Rng): string {
  return rng.pick(CREATIVE_HEAD) + rng.pick(CREATIVE_TAIL)
}

export function streetAddress (rng: Rng): string {
  const head = rng.pick(STREET_HEAD)
  const tail = rng.pick(STREET_TAIL)
  const name = head + tail
  const n = rng.skewedInt(1, 140, 2.2)
  const letter = rng.chance(0.08) ? rng.pick(['A', 'B', 'C']) : ''
  return `${name} ${n}${letter}`
}

const ORG_KKB_ASSOC = ['Kulturföreningen', 'Konstföreningen', 'Teaterföreningen', 'Musikföreningen', 'Filmklubben', 'Föreningen']
const ORG_GENERAL_ASSOC = ['Föreningen', 'Intresseföreningen', 'Byalaget', 'Samfälligheten', 'Idrottsföreningen']

export interface NameParts { name: string; personName: string | null }

/**
 * A fictional business name for legal form `legalForm` (SCB JurForm) and primary SNI 2007 code.
 * Sole traders get "<Förnamn> <Efternamn>[ <bransch>]" and their person name separately (the SCB
 * bulk file carries the person in Namn and a trade name, when registered, in Foretagsnamn).
 */
export function businessName (rng: Rng, legalForm: string, code: string, kkb: boolean): NameParts {
  const words = branchWords(code)
  const w = rng.pick(words)
  if (legalForm === '10') {
    const person = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`
    const r = rng.float()
    if (r < 0.3) return { name: person, personName: person }
    if (r < 0.85) return { name: `${person} ${w}`, personName: person }
    return { name: `${kkb && rng.chance(0.5) ? creativeWord(rng) : placeWord(rng)} ${w}`, personName: person }
  }
  // A handful of names with a literal double quote, as in the real SCB file (≈ 0.04 % of rows)
  const quoted = rng.chance(0.0007)
  const place = kkb && rng.chance(0.35) ? creativeWord(rng) : placeWord(rng)
  const core = quoted
    ? `${rng.pick(['Bar', 'Café', 'Studio', 'Ateljé', 'Bod'])} "${place}" ${w}`
    : rng.chance(0.15)
      ? `${rng.pick(LAST_NAMES)}s ${w}`
      : rng.chance(0.12) && words.length > 1
        ? `${place} ${w} & ${rng.pick(words.filter((x) => x !== w))}`
        : `${place} ${w}`
  switch (legalForm) {
    case '49': return { name: `${core} AB`, personName: null }
    case '31': return { name: rng.chance(0.5) ? `${rng.pick(LAST_NAMES)} & ${rng.pick(LAST_NAMES)} ${w} HB` : `${core} ${rng.chance(0.8) ? 'HB' : 'KB'}`, personName: null }
    case '61': return { name: `${rng.pick(kkb ? ORG_KKB_ASSOC : ORG_GENERAL_ASSOC)} ${place}${kkb && rng.chance(0.3) ? ' ' + w : ''}`, personName: null }
    case '51': return { name: `${core} ekonomisk förening`, personName: null }
    default: return { name: core, personName: null }
  }
}
