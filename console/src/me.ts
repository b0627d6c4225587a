import { gql } from './api';
import { graphql } from './gql';
import type { ConsoleMeQuery } from './gql/graphql';
import { signal } from './signal';

/** Who the server says is signed in (the key's name or the staff member) and their roles. */
export const MeDoc = graphql(`
  query ConsoleMe {
    me {
      name
      roles
      source
      staff {
        employeeNo
        name
        department
        roles
      }
    }
  }
`);

export type Me = ConsoleMeQuery['me'];
export const me = signal<Me | null>(null);

export async function loadMe(token?: string): Promise<Me> {
  const data = await gql(MeDoc, {}, token);
  me.set(data.me);
  return data.me;
}

/** The name the server writes as actor for this person (a refund step's 审批人, an incident's history). */
export const actorName = (m: Me | null) => (m ? (m.staff?.name ?? m.name) : '');
