"""The Slack front end: review cards, the approval buttons, cover and the App Home.

Start at :mod:`bot.slack.app` (``build_slack_app``); the decisions themselves are made by
:mod:`bot.review.service` over the store, so nothing here posts to a social platform.
"""
