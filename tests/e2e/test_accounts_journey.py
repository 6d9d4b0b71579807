"""A person signs up, logs out, logs in (after a typo), edits the profile and logs out, in Chromium."""

import re
import uuid

from playwright.sync_api import Page, expect


def fill_signup(page: Page, username: str, email: str, password: str, confirm: str) -> None:
    page.goto('/signup')
    page.get_by_label('Username').fill(username)
    page.get_by_label('Email').fill(email)
    page.get_by_label('Password', exact=True).fill(password)
    page.get_by_label('Confirm password').fill(confirm)
    page.get_by_role('button', name='Sign up').click()


def test_sign_up_log_out_log_in(page: Page, shot) -> None:
    """The whole account journey with readable errors for every bad input."""
    username = f'e2e_{uuid.uuid4().hex[:8]}'
    page.goto('/rooms')
    expect(page).to_have_url(re.compile(r'/login\?next=%2Frooms$'))

    fill_signup(page, username, f'{username}@example.com', 'short', 'short')
    expect(page.get_by_text('Password must be at least 8 characters.')).to_be_visible()
    fill_signup(page, username, f'{username}@example.com', 'amber-kettle-58', 'amber-kettle-59')
    expect(page.get_by_text('Passwords do not match.')).to_be_visible()
    shot('signup-errors')

    fill_signup(page, username, f'{username}@example.com', 'amber-kettle-58', 'amber-kettle-58')
    expect(page).to_have_url(re.compile(r'/rooms$'))
    expect(page.get_by_text('No rooms yet')).to_be_visible()
    expect(page.get_by_test_id('user-name')).to_have_text(username)
    shot('rooms')

    page.get_by_role('button', name='Log out', exact=True).click()
    expect(page).to_have_url(re.compile(r'/login$'))

    fill_signup(page, username, f'other-{username}@example.com', 'amber-kettle-58', 'amber-kettle-58')
    expect(page.get_by_text('This username is already taken.')).to_be_visible()

    page.goto('/login')
    page.get_by_label('Username').fill(username)
    page.get_by_label('Password').fill('wrong-password')
    page.get_by_role('button', name='Log in').click()
    expect(page.get_by_role('alert')).to_have_text('Wrong username or password')
    shot('wrong-password')
    page.get_by_label('Password').fill('amber-kettle-58')
    page.get_by_label('Password').press('Enter')
    expect(page).to_have_url(re.compile(r'/rooms$'))

    page.goto('/profile')
    page.get_by_label('Nickname').fill('Mina Kim')
    page.get_by_role('button', name='Save profile').click()
    expect(page.get_by_text('Profile saved')).to_be_visible()
    page.reload()
    expect(page.get_by_test_id('user-name')).to_have_text('Mina Kim')
    shot('profile')

    page.get_by_role('button', name='Log out', exact=True).click()
    expect(page).to_have_url(re.compile(r'/login$'))
    page.goto('/profile')
    expect(page).to_have_url(re.compile(r'/login\?next=%2Fprofile$'))
