// The naughty-words package ships no types: a record of language code → word list.
declare module 'naughty-words' {
  const lists: Record<string, string[]>;
  export default lists;
}
