#include "sim/SimLookAlikes.h"

#include <algorithm>
#include <array>

namespace ds {

namespace {

template<std::size_t N> const char* any(SimRng& rng, const std::array<const char*, N>& a)
{
    return a[rng.below(N)];
}

// Introductory programming exercises, written for the simulator.
constexpr std::array<const char*, 60> kExercises = {
    "Write a function is_palindrome(s) that returns True when s reads the same backwards, ignoring case and spaces.",
    "Write a program that prints the numbers from 1 to 100, but prints Fizz for multiples of 3 and Buzz for multiples "
    "of 5.",
    "Write a function count_vowels(text) that returns how many vowels the text contains.",
    "Write a function that returns the largest of three numbers without using max().",
    "Read a list of integers from the user and print their average, rounded to two decimals.",
    "Write a function celsius_to_fahrenheit(c) and print a conversion table from -10 to 40 in steps of 5.",
    "Write a function that reverses a list in place without using reverse() or slicing.",
    "Write a function is_prime(n) and use it to print all primes below 200.",
    "Write a function that counts how often each word appears in a sentence and returns a dictionary.",
    "Write a function that returns the second smallest element of a list.",
    "Write a program that asks for a password until it has at least 8 characters, one digit and one capital letter.",
    "Write a function factorial(n) twice: once with a loop and once recursively.",
    "Write a function that removes duplicates from a list while keeping the original order.",
    "Write a function fibonacci(n) that returns the first n Fibonacci numbers as a list.",
    "Write a function that checks whether two strings are anagrams of each other.",
    "Write a program that simulates rolling two dice 1000 times and prints how often each sum occurs.",
    "Write a function that converts a number of seconds into hours, minutes and seconds.",
    "Write a function that returns the sum of the digits of a positive integer.",
    "Write a function that merges two sorted lists into one sorted list.",
    "Write a function binary_search(items, target) that returns the index of target or -1.",
    "Write a class BankAccount with deposit, withdraw and balance methods; withdrawing too much raises an error.",
    "Write a function that reads a text file and prints its ten most common words.",
    "Write a function that returns True when a year is a leap year.",
    "Write a function that transposes a matrix given as a list of lists.",
    "Write a function caesar(text, shift) that encrypts text with a Caesar cipher.",
    "Write a function that finds all pairs in a list whose sum equals a given target.",
    "Write a program that plays rock-paper-scissors against the user for five rounds.",
    "Write a function that flattens a nested list of any depth.",
    "Write a function that validates a date string in the form YYYY-MM-DD.",
    "Write a function gcd(a, b) using Euclid's algorithm and use it to simplify a fraction.",
    "Write a class Rectangle with area and perimeter methods and a method that says if it is a square.",
    "Write a function that converts a Roman numeral into an integer.",
    "Write a function bubble_sort(items) and count how many swaps it makes.",
    "Write a function that returns the longest word in a sentence.",
    "Write a program that reads student grades from a CSV file and prints each student's average.",
    "Write a function that checks whether brackets in a string are balanced.",
    "Write a function that returns the n-th row of Pascal's triangle.",
    "Write a function that compresses a string like aaabcc into a3b1c2.",
    "Write a function that counts the lines, words and characters of a file, like wc.",
    "Write a class Stack with push, pop, peek and is_empty.",
    "Write a function that returns all divisors of a number in ascending order.",
    "Write a function that converts a decimal number to binary without using bin().",
    "Write a program that guesses a number between 1 and 100 the user thinks of, using higher/lower answers.",
    "Write a function that capitalises the first letter of every word in a sentence.",
    "Write a function that rotates a list k places to the right.",
    "Write a function that returns the intersection of two lists without duplicates.",
    "Write a recursive function that computes the power a^b for non-negative b.",
    "Write a function that draws a right triangle of stars of height n.",
    "Write a function that checks whether a number is an Armstrong number.",
    "Write a function that groups a list of words by their first letter.",
    "Write a program that keeps a shopping list: add, remove and show items until the user types quit.",
    "Write a function that returns the median of a list of numbers.",
    "Write a class Student with a name and a list of grades and a method for the average grade.",
    "Write a function that removes all punctuation from a string.",
    "Write a function that tells whether a list is sorted in ascending order.",
    "Write a function that counts the uppercase and lowercase letters of a string.",
    "Write a function that returns a dictionary mapping each character to its number of occurrences.",
    "Write a function that finds the missing number in a list containing 1..n with one number missing.",
    "Write a function that prints the multiplication table of n up to 10.",
    "Write a function that returns the list of words longer than k characters in a text."
};

constexpr std::array<const char*, 8> kStudentAsks
    = { "Exercise {k}: {ex}\n\nI don't know how to start. Can you give me a hint?",
        "{ex}",
        "For my programming class: {ex} What's the idea behind it?",
        "Exercise {k} says: \"{ex}\" - what does it mean exactly?",
        "I'm doing exercise {k} ({ex}) and my code doesn't work:\n\n```python\n{attempt}```\n\nWhat am I doing wrong?",
        "how do i do this? {ex}",
        "Our homework: {ex} Can you explain the loop part? Please don't give me the full solution.",
        "{ex}\n\nIs a for loop or a while loop better here?" };
constexpr std::array<const char*, 6> kAttempts
    = { "def solve(x):\n    for i in range(len(x)):\n        if x[i] = x[-i]:\n            return True\n",
        "result = 0\nfor n in numbers\n    result += n\nprint(result / len(numbers)\n",
        "def f(n):\n    if n == 0:\n        return 1\n    return n * f(n)\n",
        "words = text.split(\" \")\ncounts = {}\nfor w in words:\n    counts[w] += 1\n",
        "i = 0\nwhile i < 10:\n    print(i)\n",
        "class Stack:\n    def push(item):\n        self.items.append(item)\n" };
constexpr std::array<const char*, 10> kStudentFollowUps
    = { "Thanks! But we haven't learned dictionaries yet, is there another way?",
        "What does 'in place' mean?",
        "I get an IndentationError now.",
        "ok that works. why do we need the return?",
        "Can you explain that line again?",
        "My teacher says we must not use built-in functions.",
        "what is range(len(x)) doing?",
        "It prints None at the end, why?",
        "Is my version correct now?",
        "thanks!!" };

constexpr std::array<const char*, 8> kHomeworkAsks = {
    "Can you explain step by step how to solve this? {p}",
    "My daughter has this homework and I can't figure it out: {p} Please show the steps so I can explain it to her.",
    "How do I set this problem up? {p}",
    "{p}\n\nI got a different answer than the book. Can you go through it step by step?",
    "Help with math homework please: {p}",
    "Word problem from class: {p} I don't understand which operation to use first.",
    "{p} Explain it simply, I'm in 6th grade.",
    "Can you check my thinking? The question is: {p}"
};
constexpr std::array<const char*, 8> kHomeworkFollowUps = { "Why do we divide there and not multiply?",
                                                            "I don't understand step 2.",
                                                            "Is there an easier way to do it?",
                                                            "So the answer is just the number at the end?",
                                                            "Can you give me a similar problem to practise?",
                                                            "We learned it with fractions, can you do it that way?",
                                                            "Thank you, that makes sense now.",
                                                            "What if the number were twice as big?" };

constexpr std::array<const char*, 6> kAgentTasks
    = { "In this repository, {task} Read the relevant files first, then make the change and run the tests.",
        "{task}\n\nYou have the repo checked out. Edit the code, run the test suite and fix whatever fails.",
        "Refactor: {task} Keep the public API unchanged and make sure the tests still pass.",
        "Bug report from a user: {task} Find the cause in the codebase, fix it and add a regression test.",
        "{task}",
        "Continue the migration we started: {task} Run the linter and the tests when you're done." };
constexpr std::array<const char*, 14> kAgentFollowUps
    = { "Run the tests again.",
        "The CI says the type check fails in the module you touched. Fix it.",
        "Now update the docs for this change.",
        "That broke the integration tests, see the log above.",
        "Looks good. Now do the same for the other two services.",
        "Please split that into smaller commits.",
        "Can you add logging around the retry?",
        "Revert the change to the config file, it was intentional.",
        "The benchmark got slower. Profile it and find out why.",
        "Add a test for the empty-input case.",
        "Use the existing helper in utils instead of a new function.",
        "Rename the variable to something clearer everywhere.",
        "Now run the full suite and summarise the failures.",
        "Commit it with a good message." };

} // namespace

SimClassroom SimClassroom::make(SimRng& rng, int count, std::int64_t startMs, std::int64_t endMs)
{
    SimClassroom c;
    std::vector<std::size_t> order(kExercises.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    for (std::size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[rng.below(i)]);
    const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(std::max(1, count)), order.size());
    for (std::size_t i = 0; i < n; ++i)
        c.exercises.emplace_back(kExercises[order[i]]);
    c.startMs = startMs;
    const std::int64_t weeks = std::max<std::int64_t>(1, (endMs - startMs + c.sheetMs - 1) / c.sheetMs);
    c.perSheet = static_cast<int>((static_cast<std::int64_t>(n) + weeks - 1) / weeks);
    return c;
}

namespace simlookalike {

void studentTurn(SimRng& rng, const SimClassroom& c, std::int64_t ts, std::string& out)
{
    const int sheet
        = static_cast<int>(std::max<std::int64_t>(0, ts - c.startMs) / c.sheetMs) - (rng.chance(0.2) ? 1 : 0);
    const int first = std::max(0, sheet) * c.perSheet;
    const int n = static_cast<int>(c.exercises.size());
    const int k = std::min(n - 1, first + static_cast<int>(rng.below(static_cast<std::uint64_t>(c.perSheet))));
    const std::string_view form = any(rng, kStudentAsks);
    std::size_t i = 0;
    while (i < form.size()) {
        const std::size_t open = form.find('{', i);
        if (open == std::string_view::npos)
            break;
        const std::size_t close = form.find('}', open);
        out.append(form.substr(i, open - i));
        const std::string_view slot = form.substr(open + 1, close - open - 1);
        if (slot == "k")
            out += std::to_string(k + 1);
        else if (slot == "ex")
            out += c.exercises[static_cast<std::size_t>(k)];
        else
            out += any(rng, kAttempts);
        i = close + 1;
    }
    out.append(form.substr(i));
}

void studentFollowUp(SimRng& rng, std::string& out)
{
    out += "\n\n";
    out += any(rng, kStudentFollowUps);
}

void homeworkTurn(SimRng& rng, const SimCorpus& corpus, std::string& out)
{
    const std::string_view form = any(rng, kHomeworkAsks);
    const std::size_t at = form.find("{p}");
    out.append(form.substr(0, at));
    out += rng.pick(corpus.gsm8k).question;
    out.append(form.substr(at + 3));
}

void homeworkFollowUp(SimRng& rng, std::string& out)
{
    out += "\n\n";
    out += any(rng, kHomeworkFollowUps);
}

void agentTurn(SimRng& rng, const SimBenignPrompts& benign, std::string& out)
{
    std::string task;
    benign.coding(rng, task);
    const std::string_view form = any(rng, kAgentTasks);
    const std::size_t at = form.find("{task}");
    out.append(form.substr(0, at));
    out += task;
    out.append(form.substr(at + 6));
}

void agentFollowUp(SimRng& rng, std::string& out)
{
    out += "\n\n";
    out += any(rng, kAgentFollowUps);
}

} // namespace simlookalike
} // namespace ds
