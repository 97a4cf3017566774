import { describe, expect, it } from 'vitest';
import { detect } from '../helpers';

describe('PROFANITY (LDNOOBW list)', () => {
  it('finds whole words, any case', () => {
    expect(detect('What the fuck? SHIT! Shit, sHiT.').map(([, v]) => v)).toEqual(['fuck', 'SHIT', 'Shit', 'sHiT']);
  });

  it('finds multi-word entries', () => {
    expect(detect('they call it a blue waffle here')).toEqual([['PROFANITY', 'blue waffle']]);
  });

  it('reads every unit of an entry in either case, not only its first', () => {
    expect(detect('a BLUE Waffle, a bLuE wAfFlE')).toEqual([
      ['PROFANITY', 'BLUE Waffle'],
      ['PROFANITY', 'bLuE wAfFlE'],
    ]);
  });

  it('has no Scunthorpe problem', () => {
    expect(detect('Scunthorpe, Essex, Sussex, class, assassin, cocktail, shitake, Dickens, therapist, grape, cumulus, analysis')).toEqual([]);
  });

  it('a word inside markdown or before a suffix', () => {
    expect(detect('the *fuck*ing thing, **shit**')).toEqual([
      ['PROFANITY', 'fuck'],
      ['PROFANITY', 'shit'],
    ]);
  });

  it('other languages only on request', () => {
    expect(detect('Scheiße')).toEqual([]);
    expect(detect('Scheiße', { version: 1, profanity: { languages: ['en', 'de'] } })).toEqual([['PROFANITY', 'Scheiße']]);
  });
});
