"""What the meeting produced: notes on the record, the ways forward (proposals), the Lausanne
Action Plan progress inputs, the draft outcome documents and the publication feeds."""
