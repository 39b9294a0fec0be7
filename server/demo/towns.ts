// Towns (tätorter) of the län the demo generates at full register density, so its points sit where a real register's
// would: most firms in the central town, fewer in the smaller towns, the rest spread over the countryside.
// Coordinates are approximate town centres (rounded to 0.01°, general knowledge, not a surveyed source); populations
// are rounded orders of magnitude, used only as weights. A town whose centre falls outside the generalised kommun
// polygon (a coastal town on an island or a peninsula the polygon lost) is moved to the nearest point inside by
// world.ts. `locality` is the postort in data/postnummer_kommun.csv whose postcodes the town's firms get, when it has one.

export interface Town { name: string; lat: number; lon: number; population: number }

/** kommun code → its towns, largest first. Only Kalmar län (08) for now: the demo's full-density län. */
export const TOWNS: Record<string, Town[]> = {
  '0821': [ // Högsby
    { name: 'Högsby', lat: 57.17, lon: 16.03, population: 1900 },
    { name: 'Berga', lat: 57.22, lon: 16.03, population: 900 },
    { name: 'Fågelfors', lat: 57.20, lon: 15.85, population: 400 },
    { name: 'Ruda', lat: 57.11, lon: 16.13, population: 500 },
  ],
  '0834': [ // Torsås
    { name: 'Torsås', lat: 56.41, lon: 16.00, population: 2400 },
    { name: 'Bergkvara', lat: 56.39, lon: 16.08, population: 1000 },
    { name: 'Söderåkra', lat: 56.45, lon: 16.06, population: 500 },
  ],
  '0840': [ // Mörbylånga (southern Öland)
    { name: 'Färjestaden', lat: 56.65, lon: 16.47, population: 5000 },
    { name: 'Mörbylånga', lat: 56.53, lon: 16.38, population: 1900 },
    { name: 'Algutsrum', lat: 56.68, lon: 16.53, population: 500 },
    { name: 'Degerhamn', lat: 56.35, lon: 16.41, population: 500 },
  ],
  '0860': [ // Hultsfred
    { name: 'Hultsfred', lat: 57.49, lon: 15.84, population: 5500 },
    { name: 'Virserum', lat: 57.32, lon: 15.58, population: 1900 },
    { name: 'Målilla', lat: 57.39, lon: 15.81, population: 1600 },
    { name: 'Silverdalen', lat: 57.54, lon: 15.74, population: 700 },
    { name: 'Mörlunda', lat: 57.32, lon: 15.86, population: 600 },
  ],
  '0861': [ // Mönsterås
    { name: 'Mönsterås', lat: 57.04, lon: 16.44, population: 5500 },
    { name: 'Timmernabben', lat: 56.97, lon: 16.44, population: 1700 },
    { name: 'Blomstermåla', lat: 56.98, lon: 16.33, population: 1600 },
    { name: 'Ålem', lat: 56.95, lon: 16.39, population: 500 },
  ],
  '0862': [ // Emmaboda
    { name: 'Emmaboda', lat: 56.63, lon: 15.54, population: 4800 },
    { name: 'Vissefjärda', lat: 56.53, lon: 15.58, population: 700 },
    { name: 'Eriksmåla', lat: 56.66, lon: 15.46, population: 500 },
    { name: 'Långasjö', lat: 56.58, lon: 15.45, population: 300 },
  ],
  '0880': [ // Kalmar
    { name: 'Kalmar', lat: 56.66, lon: 16.35, population: 41000 },
    { name: 'Lindsdal', lat: 56.73, lon: 16.30, population: 5000 },
    { name: 'Smedby', lat: 56.67, lon: 16.24, population: 4200 },
    { name: 'Ljungbyholm', lat: 56.63, lon: 16.17, population: 2000 },
    { name: 'Trekanten', lat: 56.70, lon: 16.12, population: 1700 },
    { name: 'Rockneby', lat: 56.81, lon: 16.33, population: 1000 },
    { name: 'Läckeby', lat: 56.78, lon: 16.28, population: 700 },
  ],
  '0881': [ // Nybro
    { name: 'Nybro', lat: 56.74, lon: 15.91, population: 13000 },
    { name: 'Orrefors', lat: 56.84, lon: 15.75, population: 700 },
    { name: 'Alsterbro', lat: 56.94, lon: 15.92, population: 400 },
    { name: 'Bäckebo', lat: 56.92, lon: 16.08, population: 300 },
  ],
  '0882': [ // Oskarshamn
    { name: 'Oskarshamn', lat: 57.26, lon: 16.44, population: 17500 },
    { name: 'Påskallavik', lat: 57.17, lon: 16.45, population: 1000 },
    { name: 'Kristdala', lat: 57.40, lon: 16.19, population: 900 },
    { name: 'Figeholm', lat: 57.37, lon: 16.55, population: 700 },
    { name: 'Fårbo', lat: 57.36, lon: 16.47, population: 600 },
  ],
  '0883': [ // Västervik
    { name: 'Västervik', lat: 57.76, lon: 16.63, population: 21000 },
    { name: 'Gamleby', lat: 57.89, lon: 16.40, population: 2800 },
    { name: 'Ankarsrum', lat: 57.70, lon: 16.33, population: 1000 },
    { name: 'Överum', lat: 57.98, lon: 16.32, population: 1000 },
    { name: 'Loftahammar', lat: 57.90, lon: 16.70, population: 500 },
    { name: 'Edsbruk', lat: 58.03, lon: 16.47, population: 400 },
  ],
  '0884': [ // Vimmerby
    { name: 'Vimmerby', lat: 57.67, lon: 15.86, population: 8000 },
    { name: 'Södra Vi', lat: 57.74, lon: 15.80, population: 1100 },
    { name: 'Storebro', lat: 57.59, lon: 15.85, population: 1000 },
    { name: 'Gullringen', lat: 57.80, lon: 15.70, population: 400 },
  ],
  '0885': [ // Borgholm (northern Öland)
    { name: 'Borgholm', lat: 56.88, lon: 16.66, population: 3100 },
    { name: 'Köpingsvik', lat: 56.89, lon: 16.72, population: 800 },
    { name: 'Löttorp', lat: 57.16, lon: 16.99, population: 600 },
    { name: 'Rälla', lat: 56.80, lon: 16.60, population: 500 },
  ],
}
