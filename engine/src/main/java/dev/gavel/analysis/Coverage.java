package dev.gavel.analysis;

import java.util.List;

/**
 * What a who-can answer looked at, and what it could not.
 *
 * @param accounts the directory's accounts, whose users and roles were all examined
 * @param users how many users were decided
 * @param roles how many roles were decided (as any session of theirs)
 * @param notHeld principals, accounts or providers that the policies read name and the directory
 *     does not hold, and the resource's account when the directory does not hold it (its RCPs are
 *     then unknown), each with a word on what it is
 * @param undecided principals whose check failed closed (counted by the engine's failures); they
 *     are not listed as allowed, and the answer is incomplete while this is not empty
 */
public record Coverage(List<String> accounts, int users, int roles, List<String> notHeld, List<String> undecided) {

    public Coverage {
        accounts = List.copyOf(accounts);
        notHeld = List.copyOf(notHeld);
        undecided = List.copyOf(undecided);
    }
}
